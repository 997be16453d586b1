using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kanbatte.BrowserTests;

/// <summary>Signing in from the link the server prints, the token leaving the address bar, and signing out.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInTests(Chromium chromium) : IAsyncLifetime
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kanbatte-browser-");
    private ServerProcess _server = null!;

    public async Task InitializeAsync() =>
        _server = await ServerProcess.StartWithLocalIssuerAsync(_folder.FullName, "--Kanbatte:Auth:LocalUser=browser-user");

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task The_printed_link_signs_in_and_the_token_leaves_the_address_bar()
    {
        var link = System.Text.RegularExpressions.Regex.Match(_server.Output, @"Sign in to the board: (\S+)").Groups[1].Value;
        Assert.Contains("/#token=", link);
        var page = await chromium.NewPageAsync();

        await page.GotoAsync(link);

        await Expect(page.GetByText("browser-user")).ToBeVisibleAsync();
        Assert.DoesNotContain("token", page.Url);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "signed-in.png") });

        // A reload keeps the tab signed in; sign-out forgets the token.
        await page.ReloadAsync();
        await Expect(page.GetByText("browser-user")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByText("You are not signed in.")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.GetByText("You are not signed in.")).ToBeVisibleAsync();
    }
}
