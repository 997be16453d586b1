using System.Net;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Kanbatte.BrowserTests;

/// <summary>A user of the tests: a token of the tests' issuer for them, never an operator.</summary>
public sealed record User(string Id, string Name)
{
    public static readonly User Ann = new("ann", "Ann Lee");
    public static readonly User Bo = new("bo", "Bo Berg");
    public static readonly User Chen = new("chen", "Chen Wu");
    public static readonly User Viv = new("viv", "Viv Viewer");

    public string Token { get; } = TestTokens.Mint(Id, Name, admin: false);
}

/// <summary>
/// A test class with a real server process of its own (test issuer, fresh database in a temporary folder), pages signed
/// in as any user, and API clients per user to set up and check what the browser did.
/// </summary>
public abstract class BrowserTest(Chromium chromium) : IAsyncLifetime
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kanbatte-browser-");
    private readonly List<IBrowserContext> _contexts = [];
    private readonly Dictionary<string, HttpClient> _clients = [];

    protected ServerProcess Server { get; private set; } = null!;
    protected Chromium Chromium => chromium;

    public virtual async Task InitializeAsync() => Server = await ServerProcess.StartAsync(_folder.FullName);

    public virtual async Task DisposeAsync()
    {
        foreach (var context in _contexts) await context.CloseAsync();
        foreach (var client in _clients.Values) client.Dispose();
        await Server.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    /// <summary>The API as <paramref name="user"/>.</summary>
    protected HttpClient Api(User user)
    {
        if (!_clients.TryGetValue(user.Id, out var client))
            _clients[user.Id] = client = new HttpClient { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) }.WithToken(user.Token);
        return client;
    }

    protected string Url(string path) => new Uri(Server.BaseAddress, path).ToString();

    /// <summary>A new browser context (like another browser) signed in as <paramref name="user"/> through the sign-in link's #token, at <paramref name="path"/>.</summary>
    protected async Task<IPage> OpenAsync(User user, string path, int width = 1400, int height = 860)
    {
        var page = await chromium.NewPageAsync(width, height);
        _contexts.Add(page.Context);
        page.SetDefaultTimeout(10_000);
        await page.GotoAsync($"{Url(path)}#token={user.Token}");
        return page;
    }

    /// <summary>A project owned by <paramref name="owner"/> with these members; returns its key.</summary>
    protected async Task<string> ProjectAsync(User owner, string name, params (User User, string Role)[] members)
    {
        var key = "P" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var created = await Api(owner).PostJsonAsync("/api/projects", new { key, name, description = "A project of the browser tests" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        foreach (var (user, role) in members)
        {
            var added = await Api(owner).PutAsync($"/api/projects/{key}/members/{user.Id}",
                JsonContent(new { role, name = user.Name }));
            Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
        }
        return key;
    }

    protected async Task<string> TaskAsync(User user, string key, object body)
    {
        var response = await Api(user).PostJsonAsync($"/api/projects/{key}/tasks", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetString()!;
    }

    protected async Task<JsonElement> GetAsync(User user, string path)
    {
        var response = await Api(user).GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    /// <summary>The board's columns as the API has them: status to task ids in board order.</summary>
    protected async Task<Dictionary<string, string[]>> ColumnsAsync(string key)
    {
        var board = await GetAsync(User.Ann, $"/api/projects/{key}/board");
        return board.GetProperty("columns").EnumerateArray().ToDictionary(
            c => c.GetProperty("status").GetString()!,
            c => c.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()!).ToArray());
    }

    /// <summary>Waits until the API's board has <paramref name="status"/> in this order (a write from the page is asynchronous).</summary>
    protected async Task ExpectColumnAsync(string key, string status, params string[] ids)
    {
        string[] actual = [];
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(100))
            if ((actual = (await ColumnsAsync(key))[status]).SequenceEqual(ids)) return;
        Assert.Equal(ids, actual);
    }

    /// <summary>Waits until <paramref name="read"/> gives <paramref name="expected"/> (10 s at most).</summary>
    protected static async Task EventuallyAsync<T>(Func<Task<T>> read, T expected)
    {
        var actual = await read();
        for (var deadline = DateTime.UtcNow.AddSeconds(10); !Equals(actual, expected) && DateTime.UtcNow < deadline; actual = await read())
            await Task.Delay(100);
        Assert.Equal(expected, actual);
    }

    protected static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body, Http.Json), System.Text.Encoding.UTF8, "application/json");

    /// <summary>
    /// Drags with the mouse, as a user does: press on the card, move a little (SortableJS starts dragging past a few
    /// pixels), glide to the point, let go. The client uses SortableJS's fallback (mouse events), which this drives.
    /// </summary>
    protected static async Task DragAsync(IPage page, ILocator card, float toX, float toY, bool draggable = true)
    {
        if (draggable) await ExpectDraggableAsync(page);
        var from = (await card.BoundingBoxAsync())!;
        var (x, y) = (from.X + from.Width / 2, from.Y + 12);
        await page.Mouse.MoveAsync(x, y);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(x + 8, y + 8, new() { Steps = 4 });
        await page.Mouse.MoveAsync(toX, toY, new() { Steps = 20 });
        await page.Mouse.MoveAsync(toX, toY + 2, new() { Steps = 2 });
        await page.Mouse.UpAsync();
    }

    /// <summary>SortableJS (fetched after the board's first drawing) is on every column.</summary>
    protected static Task ExpectDraggableAsync(IPage page) =>
        Assertions.Expect(page.Locator("ol.cards[data-drag='ready']")).ToHaveCountAsync(5);

    /// <summary>The page's hub is connected and its first changes pull done: a change from now on is pushed to it.</summary>
    protected static Task WaitForLiveAsync(IPage page) => Assertions.Expect(page.Locator(".live[data-state='live']")).ToBeVisibleAsync();

    protected static ILocator Card(IPage page, string id) => page.Locator($"[data-id='{id}']");

    protected static ILocator CardIn(IPage page, string status, string id) => page.Locator($"ol.cards[data-status='{status}'] > [data-id='{id}']");

    /// <summary>axe-core on the page as it is: no serious or critical violation (every violation is written to the test's output).</summary>
    protected static async Task AssertAccessibleAsync(IPage page, string view, ITestOutputHelper? output = null)
    {
        var result = await page.RunAxe();
        foreach (var v in result.Violations)
            output?.WriteLine($"{view}: {v.Impact} {v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Html))})");
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(bad.Count == 0, $"{view}: " + string.Join("\n", bad.Select(v => $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}")));
    }

    /// <summary>The repository's folder (the one holding Kanbatte.sln), for files the tests write into it.</summary>
    protected static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Kanbatte.sln"))) return dir.FullName;
        throw new InvalidOperationException("Kanbatte.sln not found above " + AppContext.BaseDirectory);
    }
}
