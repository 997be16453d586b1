using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kanbatte.BrowserTests;

/// <summary>Two users in two browsers: each sees the other's work without reloading, and two editors of one task lose nothing.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CollaborationTests(Chromium chromium) : BrowserTest(chromium)
{
    private static readonly LocatorAssertionsToBeVisibleOptions WithinTwoSeconds = new() { Timeout = 2000 };

    [Fact]
    public async Task Each_user_sees_the_others_move_and_comment_within_two_seconds()
    {
        var key = await ProjectAsync(User.Ann, "Together", (User.Bo, "member"));
        var t1 = await TaskAsync(User.Ann, key, new { title = "Ann moves this" });
        var t2 = await TaskAsync(User.Ann, key, new { title = "Bo moves this" });
        var ann = await OpenAsync(User.Ann, $"/projects/{key}");
        var bo = await OpenAsync(User.Bo, $"/projects/{key}");
        await Expect(Card(ann, t2)).ToBeVisibleAsync();
        await Expect(Card(bo, t2)).ToBeVisibleAsync();
        await WaitForLiveAsync(ann);
        await WaitForLiveAsync(bo);

        await MoveByDialogAsync(ann, t1, "Review");
        await Expect(CardIn(bo, "review", t1)).ToBeVisibleAsync(WithinTwoSeconds);
        await Expect(bo.Locator("[data-status='review'] h2 .count")).ToHaveTextAsync("1 tasks");

        var done = (await bo.Locator("ol.cards[data-status='done']").BoundingBoxAsync())!;
        var answered = bo.WaitForResponseAsync(r => r.Url.EndsWith($"/api/tasks/{t2}/move") && r.Ok);
        await DragAsync(bo, Card(bo, t2), done.X + done.Width / 2, done.Y + 10);
        await answered;
        await Expect(CardIn(ann, "done", t2)).ToBeVisibleAsync(WithinTwoSeconds);

        // Both open the same task; each one's comment shows in the other's panel.
        await Card(ann, t1).Locator(".card-title").ClickAsync();
        await Card(bo, t1).Locator(".card-title").ClickAsync();
        await Expect(ann.GetByRole(AriaRole.Dialog).GetByText("No comments yet.")).ToBeVisibleAsync();
        await Expect(bo.GetByRole(AriaRole.Dialog).GetByText("No comments yet.")).ToBeVisibleAsync();
        await CommentAsync(ann, "Ann says hello");
        await Expect(bo.GetByRole(AriaRole.Dialog).Locator(".comment").Filter(new() { HasText = "Ann says hello" })).ToBeVisibleAsync(WithinTwoSeconds);
        await CommentAsync(bo, "Bo answers");
        await Expect(ann.GetByRole(AriaRole.Dialog).Locator(".comment").Filter(new() { HasText = "Bo answers" })).ToBeVisibleAsync(WithinTwoSeconds);
        // The history follows too.
        await Expect(ann.GetByRole(AriaRole.Dialog).Locator(".timeline").GetByText("Bo Berg commented “Bo answers”")).ToBeVisibleAsync(WithinTwoSeconds);
    }

    [Fact]
    public async Task Two_editors_of_one_task_end_with_both_changes_and_no_lost_text()
    {
        var key = await ProjectAsync(User.Ann, "Edit race", (User.Bo, "member"));
        var t = await TaskAsync(User.Ann, key, new { title = "Draft title", description = "First line." });
        var ann = await OpenAsync(User.Ann, $"/projects/{key}/tasks/{t}");
        var bo = await OpenAsync(User.Bo, $"/projects/{key}/tasks/{t}");
        var annPanel = ann.GetByRole(AriaRole.Dialog);
        var boPanel = bo.GetByRole(AriaRole.Dialog);
        await Expect(annPanel.GetByLabel("Title")).ToHaveValueAsync("Draft title");
        await Expect(boPanel.GetByLabel("Title")).ToHaveValueAsync("Draft title");
        await WaitForLiveAsync(ann);
        await WaitForLiveAsync(bo);

        // Bo starts typing; Ann changes the title and saves first.
        const string boText = "First line.\nBo's second line, typed while Ann was editing.";
        await boPanel.GetByLabel("Description").FillAsync(boText);
        await annPanel.GetByLabel("Title").FillAsync("Final title");
        await annPanel.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(annPanel.GetByText("Saved.")).ToBeVisibleAsync();

        // Bo's form keeps what he typed, and says the task changed meanwhile.
        await Expect(boPanel.GetByText("This task was changed by someone else since you started editing")).ToBeVisibleAsync();
        await Expect(boPanel.GetByLabel("Description")).ToHaveValueAsync(boText);
        await boPanel.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();

        // 412: what changed, with Bo's text still there.
        var conflict = boPanel.Locator(".conflict");
        await Expect(conflict).ToContainTextAsync("Someone else changed this task while you were editing");
        await Expect(conflict).ToContainTextAsync("Title: “Draft title” → “Final title”");
        await Expect(boPanel.GetByLabel("Description")).ToHaveValueAsync(boText);
        await AssertAccessibleAsync(bo, "conflict view");
        await conflict.GetByRole(AriaRole.Button, new() { Name = "Apply my changes" }).ClickAsync();
        await Expect(conflict).ToHaveCountAsync(0);
        await Expect(boPanel.GetByText("Saved.")).ToBeVisibleAsync();
        await Expect(boPanel.GetByLabel("Title")).ToHaveValueAsync("Final title");

        var task = await GetAsync(User.Ann, $"/api/tasks/{t}");
        Assert.Equal("Final title", task.GetProperty("title").GetString());
        Assert.Equal(boText, task.GetProperty("description").GetString());
        var updates = (await GetAsync(User.Ann, $"/api/tasks/{t}/history")).GetProperty("items").EnumerateArray()
            .Where(h => h.GetProperty("type").GetString() == "task_updated").ToList();
        Assert.Equal(2, updates.Count);
        Assert.Equal("ann", updates[0].GetProperty("actor").GetProperty("id").GetString());
        Assert.Equal("Final title", updates[0].GetProperty("data").GetProperty("title").GetString());
        Assert.Equal("bo", updates[1].GetProperty("actor").GetProperty("id").GetString());
        Assert.Equal(boText, updates[1].GetProperty("data").GetProperty("description").GetString());
        Assert.False(updates[1].GetProperty("data").TryGetProperty("title", out _)); // Bo did not send Ann's title back

        // Both timelines tell both changes.
        await Expect(annPanel.Locator(".timeline")).ToContainTextAsync("Ann Lee changed the title from “Draft title” to “Final title”", new() { Timeout = 2000 });
        await Expect(annPanel.Locator(".timeline")).ToContainTextAsync("Bo Berg edited the description", new() { Timeout = 2000 });
        await Expect(annPanel.GetByLabel("Description")).ToHaveValueAsync(boText, new() { Timeout = 2000 });
    }

    [Fact]
    public async Task A_card_being_dragged_is_not_taken_away_by_a_live_update()
    {
        var key = await ProjectAsync(User.Ann, "Hold on", (User.Bo, "member"));
        var t = await TaskAsync(User.Ann, key, new { title = "Dragged" });
        var other = await TaskAsync(User.Ann, key, new { title = "Stays" });
        var page = await OpenAsync(User.Ann, $"/projects/{key}");
        await Expect(Card(page, other)).ToBeVisibleAsync();
        await WaitForLiveAsync(page);
        await ExpectDraggableAsync(page);

        var from = (await Card(page, t).BoundingBoxAsync())!;
        var done = (await page.Locator("ol.cards[data-status='done']").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(from.X + from.Width / 2, from.Y + 12);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(from.X + from.Width / 2 + 8, from.Y + 20, new() { Steps = 4 });
        await page.Mouse.MoveAsync(done.X + done.Width / 2, done.Y + 10, new() { Steps = 20 });
        await Expect(page.Locator($"ol.cards[data-status='done'] > [data-id='{t}']")).ToHaveCountAsync(1);

        // Bo renames the card and moves the other one meanwhile; the page hears of it, and holds it back until the drop.
        var changes = page.WaitForResponseAsync(r => r.Url.Contains("/changes?since=") && r.Ok);
        Assert.True((await Api(User.Bo).PatchJsonAsync($"/api/tasks/{t}", new { title = "Dragged, and renamed" })).IsSuccessStatusCode);
        Assert.True((await Api(User.Bo).PostJsonAsync($"/api/tasks/{other}/move", new { status = "ready" })).IsSuccessStatusCode);
        await changes;
        await Task.Delay(300);
        await Expect(page.Locator($"ol.cards[data-status='done'] > [data-id='{t}']")).ToHaveCountAsync(1);
        await Expect(CardIn(page, "todo", other)).ToHaveCountAsync(1);

        await page.Mouse.MoveAsync(done.X + done.Width / 2, done.Y + 12, new() { Steps = 2 });
        await page.Mouse.UpAsync();
        await ExpectColumnAsync(key, "done", t);
        await Expect(CardIn(page, "done", t)).ToContainTextAsync("Dragged, and renamed");
        await Expect(CardIn(page, "ready", other)).ToBeVisibleAsync();
    }

    private static async Task MoveByDialogAsync(IPage page, string id, string column)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = $"Move {id} to…" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = $"Move {id}" });
        await dialog.GetByRole(AriaRole.Radio, new() { Name = column }).CheckAsync();
        var answered = page.WaitForResponseAsync(r => r.Url.EndsWith($"/api/tasks/{id}/move") && r.Ok);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Move", Exact = true }).ClickAsync();
        await answered;
    }

    private static async Task CommentAsync(IPage page, string text)
    {
        var panel = page.GetByRole(AriaRole.Dialog);
        await panel.GetByLabel("Add a comment").FillAsync(text);
        var answered = page.WaitForResponseAsync(r => r.Url.EndsWith("/comments") && r.Request.Method == "POST" && r.Ok);
        await panel.GetByRole(AriaRole.Button, new() { Name = "Comment", Exact = true }).ClickAsync();
        await answered;
    }
}
