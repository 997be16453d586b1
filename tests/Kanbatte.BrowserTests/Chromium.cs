using System.Diagnostics;
using Microsoft.Playwright;

namespace Kanbatte.BrowserTests;

/// <summary>
/// One headless Chromium for the test run: Debian's <c>chromium</c> package, driven by Playwright through its executable
/// path (Playwright's own browser download cannot work on these machines). When the package is missing, it is installed
/// with apt-get first. Flags keep it from reaching any address off this machine on its own.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath)) await InstallAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
    }

    /// <summary>A fresh browser context (its own storage, like a separate browser profile) with a page.</summary>
    public async Task<IPage> NewPageAsync(int width = 1400, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        return await context.NewPageAsync();
    }

    private static async Task InstallAsync()
    {
        // As root (the CI machines), apt-get itself; otherwise through sudo.
        var root = Environment.UserName == "root";
        foreach (var args in new[] { "update", "install -y chromium" })
        {
            var start = new ProcessStartInfo(root ? "apt-get" : "sudo", root ? args : "apt-get " + args)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
            using var process = Process.Start(start) ?? throw new InvalidOperationException("apt-get did not start");
            var error = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0) throw new InvalidOperationException($"apt-get {args} failed ({process.ExitCode}): {await error}");
        }
        if (!File.Exists(ExecutablePath)) throw new InvalidOperationException($"apt-get installed chromium, but {ExecutablePath} is not there.");
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<Chromium>
{
    public const string Name = "browser";
}
