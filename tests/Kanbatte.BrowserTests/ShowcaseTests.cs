using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Kanbatte.BrowserTests;

/// <summary>
/// A realistic small project (three people, tasks in every column with assignees, labels, priorities and due dates,
/// comments and a history): axe-core finds no serious or critical violation on the board, the task panel and the
/// time-travel view, and the README's screenshots are taken from it (docs/board.png, docs/task-history.png,
/// docs/time-travel.png).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ShowcaseTests(Chromium chromium, ITestOutputHelper output) : BrowserTest(chromium)
{
    private const string Key = "SITE";
    private DateTimeOffset _moment;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await SeedAsync();
    }

    private static string Due(int days) => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(days).ToString("yyyy-MM-dd");

    private async Task SeedAsync()
    {
        var created = await Api(User.Ann).PostJsonAsync("/api/projects", new { key = Key, name = "Website relaunch", description = "The new marketing site and docs" });
        Assert.True(created.IsSuccessStatusCode);
        foreach (var user in new[] { User.Bo, User.Chen })
            Assert.True((await Api(User.Ann).PutAsync($"/api/projects/{Key}/members/{user.Id}", JsonContent(new { role = "member", name = user.Name }))).IsSuccessStatusCode);

        await TaskAsync(User.Ann, Key, new { title = "Choose a font pairing for headings and body", priority = "low", assignee = "chen", labels = new[] { "design" } });
        await TaskAsync(User.Ann, Key, new { title = "Write the pricing page copy", priority = "medium", assignee = "bo", labels = new[] { "content" }, dueDate = Due(12) });
        await TaskAsync(User.Bo, Key, new { title = "Set up the CDN and cache rules", status = "ready", priority = "high", assignee = "ann", labels = new[] { "infra" }, dueDate = Due(5) });
        await TaskAsync(User.Ann, Key, new
        {
            title = "Migrate the blog posts from the old CMS", status = "ready", priority = "medium", assignee = "bo", labels = new[] { "content", "migration" },
            description = "Export every post as Markdown, keep the slugs, and check that images keep their alt text.\nRedirects for the old URLs are SITE-008.",
        });
        await TaskAsync(User.Chen, Key, new { title = "Fix the contrast of the footer links", status = "review", priority = "urgent", assignee = "chen", labels = new[] { "a11y", "bug" }, dueDate = Due(-1) });
        await TaskAsync(User.Ann, Key, new { title = "Hero illustration for the landing page", status = "done", priority = "low", assignee = "chen", labels = new[] { "design" } });
        await TaskAsync(User.Ann, Key, new { title = "Cookie banner that respects Do Not Track", labels = new[] { "legal" } });
        await TaskAsync(User.Bo, Key, new { title = "Redirect the old docs URLs", status = "ready", priority = "medium", assignee = "bo", labels = new[] { "infra", "seo" }, dueDate = Due(14) });
        await TaskAsync(User.Ann, Key, new { title = "Accessibility audit of the checkout flow", priority = "high", assignee = "ann", labels = new[] { "a11y" }, dueDate = Due(20) });
        await TaskAsync(User.Bo, Key, new { title = "Newsletter sign-up form", status = "done", priority = "low", assignee = "bo", labels = new[] { "content" } });

        // Time travel goes back to here: the board before the day's work below.
        await Task.Delay(1200);
        _moment = DateTimeOffset.UtcNow;
        await Task.Delay(1200);

        var bo = Api(User.Bo);
        var ann = Api(User.Ann);
        var chen = Api(User.Chen);
        await bo.PostJsonAsync($"/api/tasks/{Key}-004/move", new { status = "in_progress" });
        await bo.PatchJsonAsync($"/api/tasks/{Key}-004", new { title = "Migrate the 140 blog posts from the old CMS" });
        await ann.PostJsonAsync($"/api/tasks/{Key}-004/comments", new { body = "Do the images keep their alt text? A few posts rely on it." });
        await bo.PostJsonAsync($"/api/tasks/{Key}-004/comments", new { body = "Yes: the importer copies alt text and captions. I spot-checked 20 posts." });
        await ann.PatchJsonAsync($"/api/tasks/{Key}-004", new { priority = "high", dueDate = Due(9) });
        await bo.PostJsonAsync($"/api/tasks/{Key}-004/move", new { status = "review" });
        await chen.PostJsonAsync($"/api/tasks/{Key}-004/comments", new { body = "Two posts lost their code blocks; back to you, Bo." });
        await chen.PostJsonAsync($"/api/tasks/{Key}-004/move", new { status = "in_progress" });
        await chen.PostJsonAsync($"/api/tasks/{Key}-005/move", new { status = "done", after = $"{Key}-006" });
        await ann.PostJsonAsync($"/api/tasks/{Key}-003/move", new { status = "in_progress" });
        await chen.PostJsonAsync($"/api/tasks/{Key}-001/move", new { status = "review" });
    }

    [Fact]
    public async Task The_board_the_task_panel_and_time_travel_have_no_serious_accessibility_violations()
    {
        var page = await OpenAsync(User.Ann, $"/projects/{Key}");
        await Expect(Card(page, $"{Key}-010")).ToBeVisibleAsync();
        await WaitForLiveAsync(page);
        await AssertAccessibleAsync(page, "board");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Move {Key}-002 to…" }).ClickAsync();
        await AssertAccessibleAsync(page, "Move dialog");
        await page.Keyboard.PressAsync("Escape");
        await page.GetByRole(AriaRole.Button, new() { Name = "New task" }).ClickAsync();
        await AssertAccessibleAsync(page, "New task dialog");
        await page.Keyboard.PressAsync("Escape");

        await Card(page, $"{Key}-004").Locator(".card-title").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog).Locator(".comment")).ToHaveCountAsync(3);
        await Expect(page.GetByRole(AriaRole.Dialog).Locator(".timeline li")).ToHaveCountAsync(9);
        await AssertAccessibleAsync(page, "task panel");
        await page.Keyboard.PressAsync("Escape");

        await page.GotoAsync(Url($"/projects/{Key}/time-travel?at={Uri.EscapeDataString(_moment.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"))}"));
        await Expect(CardIn(page, "ready", $"{Key}-004")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "time travel");
        await Card(page, $"{Key}-004").Locator(".card-title").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog).Locator(".timeline li")).ToHaveCountAsync(1);
        await AssertAccessibleAsync(page, "time travel task panel");

        await page.GotoAsync(Url($"/projects/{Key}/activity"));
        await Expect(page.Locator(".feed li").First).ToContainTextAsync($"Chen Wu moved {Key}-001 to Review"); // newest first
        await Expect(page.Locator(".feed li").Last).ToContainTextAsync("Ann Lee created the project “Website relaunch”");
        await AssertAccessibleAsync(page, "activity");
        await page.GotoAsync(Url($"/projects/{Key}/members"));
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Chen Wu", Exact = true })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "members");
        await page.GotoAsync(Url("/"));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = $"{Key} Website relaunch" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "projects");
    }

    /// <summary>
    /// Taken on every run into a temporary folder; with KANBATTE_SCREENSHOTS=docs they replace the README's (a test run
    /// must not change the repository, and the times shown change on every run).
    /// </summary>
    [Fact]
    public async Task Screenshots_for_the_README()
    {
        var docs = Environment.GetEnvironmentVariable("KANBATTE_SCREENSHOTS") is { Length: > 0 } folder
            ? Path.GetFullPath(Path.Combine(RepositoryRoot(), folder))
            : Directory.CreateTempSubdirectory("kanbatte-screens-").FullName;
        var page = await OpenAsync(User.Ann, $"/projects/{Key}", 1440, 860);
        await Expect(Card(page, $"{Key}-010")).ToBeVisibleAsync();
        await WaitForLiveAsync(page);
        await page.Mouse.MoveAsync(0, 0);
        await page.ScreenshotAsync(new() { Path = Path.Combine(docs, "board.png") });

        await Card(page, $"{Key}-004").Locator(".card-title").ClickAsync();
        var panel = page.GetByRole(AriaRole.Dialog);
        await Expect(panel.Locator(".timeline li")).ToHaveCountAsync(9);
        await Expect(panel.Locator(".comment")).ToHaveCountAsync(3);
        await page.EvaluateAsync("() => document.activeElement?.blur()");
        await page.ScreenshotAsync(new() { Path = Path.Combine(docs, "task-history.png") });
        await page.Keyboard.PressAsync("Escape");

        await page.GotoAsync(Url($"/projects/{Key}/time-travel?at={Uri.EscapeDataString(_moment.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"))}"));
        await Expect(CardIn(page, "ready", $"{Key}-004")).ToBeVisibleAsync();
        await page.Mouse.MoveAsync(0, 0);
        await page.ScreenshotAsync(new() { Path = Path.Combine(docs, "time-travel.png") });

        foreach (var name in new[] { "board.png", "task-history.png", "time-travel.png" })
            Assert.True(new FileInfo(Path.Combine(docs, name)).Length > 10_000, name);
    }

    private Task AssertAccessibleAsync(IPage page, string view) => AssertAccessibleAsync(page, view, output);
}
