using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kanbatte.BrowserTests;

/// <summary>The board through the UI: creating, moving by mouse and by keyboard, what a viewer sees, errors in the API's words.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BoardTests(Chromium chromium) : BrowserTest(chromium)
{
    [Fact]
    public async Task A_project_and_its_tasks_are_created_through_the_UI()
    {
        var key = "NEW" + Guid.NewGuid().ToString("N")[..5].ToUpperInvariant();
        var page = await OpenAsync(User.Ann, "/");

        await page.GetByLabel("Key").FillAsync(key);
        await page.GetByLabel("Name").FillAsync("Onboarding");
        await page.GetByLabel("Description").FillAsync("Everything a new colleague needs");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(Url($"/projects/{key}"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"{key} Onboarding" })).ToBeVisibleAsync();

        // A task with every field, then one with a title only.
        await page.GetByRole(AriaRole.Button, new() { Name = "New task" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "New task" });
        await Expect(dialog.GetByLabel("Title")).ToBeFocusedAsync();
        await dialog.GetByLabel("Title").FillAsync("Write the onboarding guide");
        await dialog.GetByLabel("Description").FillAsync("Accounts, tools, who to ask.");
        await dialog.GetByLabel("Status").SelectOptionAsync("ready");
        await dialog.GetByLabel("Priority").SelectOptionAsync("high");
        await dialog.GetByLabel("Assignee").SelectOptionAsync(User.Ann.Id);
        await dialog.GetByLabel("Labels").FillAsync("docs, onboarding");
        await dialog.GetByLabel("Due date").FillAsync("2026-12-24");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create task" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        var card = CardIn(page, "ready", $"{key}-001");
        await Expect(card).ToContainTextAsync("Write the onboarding guide");
        await Expect(card).ToContainTextAsync("High");
        await Expect(card).ToContainTextAsync("Ann Lee");
        await Expect(card).ToContainTextAsync("docs");
        await Expect(card).ToContainTextAsync("Dec 24");

        await page.GetByRole(AriaRole.Button, new() { Name = "New task" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByLabel("Title").FillAsync("Order a laptop");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Create task" }).ClickAsync();
        await Expect(CardIn(page, "todo", $"{key}-002")).ToContainTextAsync("Order a laptop");
        await Expect(page.Locator("[data-status='ready'] h2 .count")).ToHaveTextAsync("1 tasks");

        var first = await GetAsync(User.Ann, $"/api/tasks/{key}-001");
        Assert.Equal("Write the onboarding guide", first.GetProperty("title").GetString());
        Assert.Equal("Accounts, tools, who to ask.", first.GetProperty("description").GetString());
        Assert.Equal("ready", first.GetProperty("status").GetString());
        Assert.Equal("high", first.GetProperty("priority").GetString());
        Assert.Equal("ann", first.GetProperty("assignee").GetString());
        Assert.Equal(["docs", "onboarding"], first.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal("2026-12-24", first.GetProperty("dueDate").GetString());
        Assert.Equal("todo", (await GetAsync(User.Ann, $"/api/tasks/{key}-002")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_API_error_is_shown_in_the_problems_words()
    {
        var key = await ProjectAsync(User.Bo, "Taken");
        var again = await Api(User.Ann).PostJsonAsync("/api/projects", new { key, name = "Mine" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var detail = (await again.JsonAsync()).GetProperty("detail").GetString()!;
        var page = await OpenAsync(User.Ann, "/");

        await page.GetByLabel("Key").FillAsync(key);
        await page.GetByLabel("Name").FillAsync("Mine");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = detail })).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(Url("/"));
    }

    [Fact]
    public async Task Dragging_a_card_to_another_column_and_between_two_cards_moves_it_there()
    {
        var key = await ProjectAsync(User.Ann, "Drag");
        var a = await TaskAsync(User.Ann, key, new { title = "First to go" });
        var b = await TaskAsync(User.Ann, key, new { title = "Second to go" });
        var r1 = await TaskAsync(User.Ann, key, new { title = "Review one", status = "review" });
        var r2 = await TaskAsync(User.Ann, key, new { title = "Review two", status = "review" });
        var page = await OpenAsync(User.Ann, $"/projects/{key}");
        await Expect(Card(page, r2)).ToBeVisibleAsync();

        // Into the empty Done column.
        var done = (await page.Locator("ol.cards[data-status='done']").BoundingBoxAsync())!;
        await DragAsync(page, Card(page, a), done.X + done.Width / 2, done.Y + done.Height / 2);
        await Expect(CardIn(page, "done", a)).ToBeVisibleAsync();
        await ExpectColumnAsync(key, "done", a);

        // Between the two cards of Review: onto the upper part of the second.
        var second = (await Card(page, r2).BoundingBoxAsync())!;
        await DragAsync(page, Card(page, b), second.X + second.Width / 2, second.Y + 8);
        await ExpectColumnAsync(key, "review", r1, b, r2);
        await ExpectColumnAsync(key, "todo");
        Assert.Equal([r1, b, r2], await page.Locator("ol.cards[data-status='review'] > li").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.id)"));
        await Expect(page.Locator("[data-status='review'] h2 .count")).ToHaveTextAsync("3 tasks");
        await Expect(page.Locator("[data-status='todo'] h2 .count")).ToHaveTextAsync("0 tasks");
    }

    [Fact]
    public async Task The_Move_dialog_moves_a_card_by_keyboard_alone()
    {
        var key = await ProjectAsync(User.Ann, "Keys");
        var t = await TaskAsync(User.Ann, key, new { title = "Keyboard only" });
        var x = await TaskAsync(User.Ann, key, new { title = "In progress one", status = "in_progress" });
        var y = await TaskAsync(User.Ann, key, new { title = "In progress two", status = "in_progress" });
        var page = await OpenAsync(User.Ann, $"/projects/{key}");
        await Expect(Card(page, y)).ToBeVisibleAsync();

        // Tab to the card's Move… button (after its title link), open the dialog, choose In progress, then "After x".
        // The button is drawn once the page knows the caller may edit (GET /me answers after the board may be drawn).
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Move {t} to…" })).ToBeVisibleAsync();
        await Card(page, t).Locator(".card-title").FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Move {t} to…" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = $"Move {t}" });
        await Expect(dialog.GetByRole(AriaRole.Radio, new() { Name = "To do" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowRight"); // Ready
        await page.Keyboard.PressAsync("ArrowRight"); // In progress
        await Expect(dialog.GetByRole(AriaRole.Radio, new() { Name = "In progress" })).ToBeCheckedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(dialog.GetByLabel("Position")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown"); // from "At the top" to "After x"
        await Expect(dialog.GetByLabel("Position")).ToHaveValueAsync($"after:{x}");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");

        await Expect(dialog).ToBeHiddenAsync();
        await ExpectColumnAsync(key, "in_progress", x, t, y);
        await Expect(CardIn(page, "in_progress", t)).ToBeVisibleAsync();
        // Focus follows the card to its new place.
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Move {t} to…" })).ToBeFocusedAsync();

        // Escape closes the dialog without moving, focus back on the button.
        await page.Keyboard.PressAsync("Enter");
        await Expect(dialog).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Move {t} to…" })).ToBeFocusedAsync();
        await ExpectColumnAsync(key, "in_progress", x, t, y);
    }

    [Fact]
    public async Task A_move_on_a_stale_board_is_placed_again_next_to_fresh_neighbours()
    {
        var key = await ProjectAsync(User.Ann, "Stale", (User.Bo, "member"));
        var t = await TaskAsync(User.Ann, key, new { title = "Moving" });
        var r1 = await TaskAsync(User.Ann, key, new { title = "Stays", status = "review" });
        var r2 = await TaskAsync(User.Ann, key, new { title = "Leaves", status = "review" });
        var page = await OpenAsync(User.Ann, $"/projects/{key}");
        await Expect(Card(page, r2)).ToBeVisibleAsync();

        // Live updates held back, so this page still shows r2 in Review after Bo moved it away.
        await page.RouteAsync("**/changes**", route => route.AbortAsync());
        var moved = await Api(User.Bo).PostJsonAsync($"/api/tasks/{r2}/move", new { status = "done" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);

        // Dropped between r1 and r2: "before r2" is refused (r2 is not in Review any more); placed again after r1.
        var moves = new List<(string Body, int Status)>();
        page.Response += (_, r) =>
        {
            if (r.Url.EndsWith($"/api/tasks/{t}/move")) lock (moves) moves.Add((r.Request.PostData ?? "", r.Status));
        };
        var target = (await Card(page, r2).BoundingBoxAsync())!;
        await DragAsync(page, Card(page, t), target.X + target.Width / 2, target.Y + 8);
        await ExpectColumnAsync(key, "review", r1, t);
        await EventuallyAsync(() => Task.FromResult(moves.Count), 2);
        Assert.Equal(400, moves[0].Status);
        Assert.Contains($"\"before\":\"{r2}\"", moves[0].Body);
        Assert.Equal(200, moves[1].Status);
        Assert.Contains($"\"after\":\"{r1}\"", moves[1].Body);
        Assert.Contains("\"before\":null", moves[1].Body);
        await Expect(page.Locator("[data-status='review'] ol.cards > li")).ToHaveCountAsync(2);
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Could not move" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_viewer_sees_the_board_without_editing_controls()
    {
        var key = await ProjectAsync(User.Ann, "Read only", (User.Viv, "viewer"));
        var t = await TaskAsync(User.Ann, key, new { title = "Look, do not touch", priority = "high" });
        await Api(User.Ann).PostJsonAsync($"/api/tasks/{t}/comments", new { body = "A comment to read" });
        var page = await OpenAsync(User.Viv, $"/projects/{key}");
        await Expect(Card(page, t)).ToBeVisibleAsync();

        await Expect(page.GetByText("Viewer: read only")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "New task" })).ToHaveCountAsync(0);
        await Expect(page.Locator(".card-move")).ToHaveCountAsync(0);

        // Dragging does nothing.
        var done = (await page.Locator("ol.cards[data-status='done']").BoundingBoxAsync())!;
        await DragAsync(page, Card(page, t), done.X + done.Width / 2, done.Y + 10, draggable: false);
        await Expect(CardIn(page, "todo", t)).ToBeVisibleAsync();
        Assert.Equal([t], (await ColumnsAsync(key))["todo"]);

        // The task panel shows everything, with nothing to change.
        await Card(page, t).Locator(".card-title").ClickAsync();
        var panel = page.GetByRole(AriaRole.Dialog);
        // Exact: once the history has loaded it quotes the comment too ("Ann Lee commented “A comment to read”").
        await Expect(panel.GetByText("A comment to read", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(panel.GetByText("Ann Lee created the task in the To do column")).ToBeVisibleAsync();
        await Expect(panel.Locator("input, textarea, select")).ToHaveCountAsync(0);
        await Expect(panel.GetByRole(AriaRole.Button)).ToHaveCountAsync(1); // Close
        await page.Keyboard.PressAsync("Escape");
        await Expect(page).ToHaveURLAsync(Url($"/projects/{key}"));

        // Members: the list without controls.
        await page.GetByRole(AriaRole.Link, new() { Name = "Members" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Ann Lee", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator(".members select, .members input, .members button")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Owners_manage_members_and_their_refusals_show()
    {
        var key = await ProjectAsync(User.Ann, "Team");
        var page = await OpenAsync(User.Ann, $"/projects/{key}/members");

        await page.GetByLabel("User id").FillAsync(User.Bo.Id);
        await page.GetByLabel("Display name").FillAsync(User.Bo.Name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add member" }).ClickAsync();
        var bo = page.Locator($"tr[data-member='{User.Bo.Id}']");
        await Expect(bo).ToContainTextAsync("Bo Berg");
        await bo.GetByLabel("Role of Bo Berg").SelectOptionAsync("owner");
        await EventuallyAsync(async () => (await GetAsync(User.Ann, $"/api/projects/{key}/members")).GetProperty("items").EnumerateArray()
            .Single(m => m.GetProperty("userId").GetString() == "bo").GetProperty("role").GetString(), "owner");
        await bo.GetByRole(AriaRole.Button, new() { Name = "Remove Bo Berg" }).ClickAsync();
        await Expect(bo).ToHaveCountAsync(0);

        // The last owner cannot leave: the API's refusal is shown.
        await page.Locator($"tr[data-member='{User.Ann.Id}']").GetByRole(AriaRole.Button, new() { Name = "Remove Ann Lee" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasTextRegex = new Regex("owner", RegexOptions.IgnoreCase) })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_board_is_filtered_by_assignee_label_priority_and_title_through_the_tasks_list()
    {
        var key = await ProjectAsync(User.Ann, "Filters", (User.Bo, "member"));
        var a = await TaskAsync(User.Ann, key, new { title = "Alpha login page", assignee = "ann", labels = new[] { "ui" }, priority = "high" });
        var b = await TaskAsync(User.Ann, key, new { title = "Beta endpoint", assignee = "bo", labels = new[] { "api" }, priority = "low", status = "ready" });
        var c = await TaskAsync(User.Ann, key, new { title = "Gamma button", assignee = "bo", labels = new[] { "ui" }, priority = "high", status = "review" });
        var page = await OpenAsync(User.Ann, $"/projects/{key}");
        await Expect(Card(page, c)).ToBeVisibleAsync();
        await WaitForLiveAsync(page);
        var cards = page.Locator("li.card");
        var filters = page.GetByRole(AriaRole.Search);
        var lists = new List<string>();
        page.Request += (_, r) => { if (r.Url.Contains($"/api/projects/{key}/tasks?")) lock (lists) lists.Add(r.Url); };

        await filters.GetByLabel("Assignee", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Bo Berg" });
        await Expect(cards).ToHaveCountAsync(2);
        await Expect(Card(page, b)).ToBeVisibleAsync();
        await Expect(Card(page, c)).ToBeVisibleAsync();
        Assert.Contains(lists, u => u.Contains("assignee=bo") && u.Contains("sort=rank") && u.Contains("status=review"));

        await filters.GetByLabel("Label", new() { Exact = true }).FillAsync("ui");
        await Expect(cards).ToHaveCountAsync(1);
        await Expect(Card(page, c)).ToBeVisibleAsync();

        // A change that takes the task out of the filter takes it off the board at once.
        Assert.True((await Api(User.Bo).PatchJsonAsync($"/api/tasks/{c}", new { assignee = "ann" })).IsSuccessStatusCode);
        await Expect(cards).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Clear filters" }).ClickAsync();
        await Expect(cards).ToHaveCountAsync(3);
        await filters.GetByLabel("Priority", new() { Exact = true }).SelectOptionAsync("high");
        await Expect(cards).ToHaveCountAsync(2);
        await Expect(Card(page, a)).ToBeVisibleAsync();
        await filters.GetByLabel("Search titles", new() { Exact = true }).FillAsync("GAM");
        await Expect(cards).ToHaveCountAsync(1);
        await Expect(Card(page, c)).ToBeVisibleAsync();
        Assert.Contains(lists, u => u.Contains("q=GAM") && u.Contains("priority=high"));
    }

    [Fact]
    public async Task A_task_is_edited_archived_and_restored_from_its_panel()
    {
        var key = await ProjectAsync(User.Ann, "Archive", (User.Bo, "member"));
        var t = await TaskAsync(User.Ann, key, new { title = "Old name", labels = new[] { "x" } });
        var page = await OpenAsync(User.Ann, $"/projects/{key}");
        await Card(page, t).Locator(".card-title").ClickAsync();
        await Expect(page).ToHaveURLAsync(Url($"/projects/{key}/tasks/{t}"));
        var panel = page.GetByRole(AriaRole.Dialog);

        await panel.GetByLabel("Title").FillAsync("New name");
        await panel.GetByLabel("Priority").SelectOptionAsync("urgent");
        await panel.GetByLabel("Assignee").SelectOptionAsync("bo");
        await panel.GetByLabel("Labels").FillAsync("");
        await panel.GetByLabel("Due date").FillAsync("2027-01-31");
        await panel.GetByLabel("Status").SelectOptionAsync("review");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(panel.GetByText("Saved.")).ToBeVisibleAsync();
        await Expect(panel.Locator(".timeline")).ToContainTextAsync("Ann Lee changed the title from “Old name” to “New name”, moved it to Review, set the priority to Urgent, assigned it to Bo Berg, removed the label x and set the due date to Jan 31, 2027");
        var task = await GetAsync(User.Ann, $"/api/tasks/{t}");
        Assert.Equal(("New name", "review", "urgent", "bo", 0, "2027-01-31"), (task.GetProperty("title").GetString(), task.GetProperty("status").GetString(),
            task.GetProperty("priority").GetString(), task.GetProperty("assignee").GetString(), task.GetProperty("labels").GetArrayLength(), task.GetProperty("dueDate").GetString()));

        await panel.GetByRole(AriaRole.Button, new() { Name = "Archive" }).ClickAsync();
        await Expect(panel.GetByText("Archived", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(panel.Locator(".timeline")).ToContainTextAsync("Ann Lee archived it");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Expect(page.Locator("li.card")).ToHaveCountAsync(0);
        // Focus goes back to where it was before the panel opened (the card's link is gone with the card).
        Assert.True((await GetAsync(User.Ann, $"/api/tasks/{t}")).GetProperty("archived").GetBoolean());

        await page.GetByLabel("Archived tasks").CheckAsync();
        await Expect(CardIn(page, "review", t)).ToBeVisibleAsync();
        await Card(page, t).Locator(".card-title").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Restore" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog).Locator(".timeline")).ToContainTextAsync("Ann Lee restored it");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("li.card")).ToHaveCountAsync(0);
        await page.GetByLabel("Archived tasks").UncheckAsync();
        await Expect(CardIn(page, "review", t)).ToBeVisibleAsync();
        Assert.False((await GetAsync(User.Ann, $"/api/tasks/{t}")).GetProperty("archived").GetBoolean());
    }

    [Fact]
    public async Task Members_edit_and_delete_their_own_comments_and_owners_any()
    {
        var key = await ProjectAsync(User.Ann, "Comments", (User.Bo, "member"));
        var t = await TaskAsync(User.Ann, key, new { title = "Talk about it" });
        Assert.True((await Api(User.Ann).PostJsonAsync($"/api/tasks/{t}/comments", new { body = "Ann's note" })).IsSuccessStatusCode);
        Assert.True((await Api(User.Bo).PostJsonAsync($"/api/tasks/{t}/comments", new { body = "Bo's note" })).IsSuccessStatusCode);

        var bo = await OpenAsync(User.Bo, $"/projects/{key}/tasks/{t}");
        var comments = bo.GetByRole(AriaRole.Dialog).Locator(".comment");
        await Expect(comments).ToHaveCountAsync(2);
        await Expect(comments.Nth(0).GetByRole(AriaRole.Button)).ToHaveCountAsync(0); // Ann's
        await comments.Nth(1).GetByRole(AriaRole.Button, new() { Name = "Edit comment" }).ClickAsync();
        var box = comments.Nth(1).GetByLabel("Edit comment");
        await Expect(box).ToBeFocusedAsync();
        await box.FillAsync("Bo's note, corrected");
        await comments.Nth(1).GetByRole(AriaRole.Button, new() { Name = "Save comment" }).ClickAsync();
        await Expect(comments.Nth(1)).ToContainTextAsync("Bo's note, corrected");
        await Expect(comments.Nth(1)).ToContainTextAsync("(edited)");
        await comments.Nth(1).GetByRole(AriaRole.Button, new() { Name = "Delete comment" }).ClickAsync();
        await Expect(comments).ToHaveCountAsync(1);

        var ann = await OpenAsync(User.Ann, $"/projects/{key}/tasks/{t}");
        await Expect(ann.GetByRole(AriaRole.Dialog).Locator(".comment").GetByRole(AriaRole.Button, new() { Name = "Edit comment" })).ToHaveCountAsync(1);
        var left = (await GetAsync(User.Ann, $"/api/tasks/{t}/comments")).GetProperty("items");
        Assert.Equal(["Ann's note"], left.EnumerateArray().Select(c => c.GetProperty("body").GetString()));
        await Expect(ann.GetByRole(AriaRole.Dialog).Locator(".timeline")).ToContainTextAsync("Bo Berg deleted a comment");
    }
}
