using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Kanbatte.Application;
using Kanbatte.Testing;
using Microsoft.Azure.Cosmos;

namespace Kanbatte.Tests.Cosmos;

/// <summary>
/// One in-memory Cosmos-protocol server (npm @vercel/cosmosdb-server) per test process, on a free loopback port,
/// installed with <c>npm ci</c> from tests/cosmos-server when missing, and stopped by its PID when the process exits.
/// Tests isolate themselves with a database each. It cannot serve the change feed, TransactionalBatch or stored
/// procedures (see the platform notes); the tests that need those run against a real emulator only.
/// </summary>
public sealed class CosmosTestServer
{
    // The server's well-known account key is not checked; this is the public emulator key, any base64 would do.
    public const string Key = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";
    private static readonly Lazy<Task<CosmosTestServer>> Started = new(StartAsync);
    private readonly Process _process;

    private CosmosTestServer(Process process, int port)
    {
        _process = process;
        Port = port;
        Client = new CosmosClient(ConnectionString, ConfigureClient(new CosmosClientOptions()));
    }

    public int Port { get; }
    public string Endpoint => $"http://127.0.0.1:{Port}/";
    public string ConnectionString => $"AccountEndpoint={Endpoint};AccountKey={Key}";

    /// <summary>A client for the tests' own use (creating and deleting databases), configured as the store's would be.</summary>
    public CosmosClient Client { get; }

    public static Task<CosmosTestServer> InstanceAsync() => Started.Value;

    /// <summary>What a client needs to talk to this server: gateway mode on the one endpoint, and the test-only 404 fix.</summary>
    public static CosmosClientOptions ConfigureClient(CosmosClientOptions options)
    {
        options.ConnectionMode = ConnectionMode.Gateway;
        options.LimitToEndpoint = true; // without it the client looks for other regions and hangs
        options.UseSystemTextJsonSerializerWithOptions ??= KanbatteJson.Options;
        if (!options.CustomHandlers.Any(h => h is MissingItemAs404Handler)) options.CustomHandlers.Add(new MissingItemAs404Handler());
        return options;
    }

    /// <summary>Settings for a host using this server: the connection and the client switches it needs.</summary>
    public Dictionary<string, string?> Settings(string database) => new()
    {
        ["KanbatteCosmos"] = ConnectionString,
        ["Kanbatte:Cosmos:Database"] = database,
        ["Kanbatte:Cosmos:CreateIfNotExists"] = "true",
        ["Kanbatte:Cosmos:Client:ConnectionMode"] = "Gateway",
        ["Kanbatte:Cosmos:Client:LimitToEndpoint"] = "true",
    };

    public static string NewDatabaseName() => "t" + Guid.NewGuid().ToString("N")[..12];

    public async Task DeleteDatabaseAsync(string name)
    {
        using var _ = await Client.GetDatabase(name).DeleteStreamAsync();
    }

    private static async Task<CosmosTestServer> StartAsync()
    {
        // Query plans are computed in-process (the server has no query-plan endpoint); test processes only.
        Environment.SetEnvironmentVariable("AZURE_COSMOS_USE_QUERY_PLAN_INTEROP_LINUX", "true");
        Environment.SetEnvironmentVariable("AZURE_COSMOS_OPTIMISTIC_DIRECT_EXECUTION_ENABLED", "true");

        var folder = FindFolder();
        var cli = Path.Combine(folder, "node_modules", "@vercel", "cosmosdb-server", "lib", "cli.js");
        if (!File.Exists(cli)) await NpmCiAsync(folder, cli);

        var port = LoopbackPort.Free();
        var start = new ProcessStartInfo("node", [cli, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--host", "127.0.0.1", "--no-ssl"])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var pid = process.Id;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(pid);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"cosmosdb-server exited with {process.ExitCode}");
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
        return new CosmosTestServer(process, port);
    }

    private static void Stop(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            process.WaitForExit(5000);
        }
        catch (ArgumentException) { } // already gone
        catch (InvalidOperationException) { }
    }

    /// <summary>Installs the locked server version once, even when several test assemblies start at the same time.</summary>
    private static async Task NpmCiAsync(string folder, string cli)
    {
        var lockPath = Path.Combine(folder, ".npm-ci.lock");
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            FileStream? held = null;
            try
            {
                held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
                continue;
            }
            using (held)
            {
                if (File.Exists(cli)) return;
                var npm = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund"]) { WorkingDirectory = folder, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })
                    ?? throw new InvalidOperationException("npm did not start");
                var stderr = npm.StandardError.ReadToEndAsync();
                await npm.StandardOutput.ReadToEndAsync();
                await npm.WaitForExitAsync();
                if (npm.ExitCode != 0 || !File.Exists(cli))
                    throw new InvalidOperationException($"npm ci in {folder} failed ({npm.ExitCode}): {await stderr}");
                return;
            }
        }
    }

    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "cosmos-server");
            if (File.Exists(Path.Combine(candidate, "package-lock.json"))) return candidate;
        }
        throw new InvalidOperationException("tests/cosmos-server/package-lock.json not found above " + AppContext.BaseDirectory);
    }
}
