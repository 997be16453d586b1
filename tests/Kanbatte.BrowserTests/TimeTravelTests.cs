using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kanbatte.BrowserTests;

/// <summary>The board as it was: chosen with the date-time field, read-only and marked, and back to the live board.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TimeTravelTests(Chromium chromium) : BrowserTest(chromium)
{
    [Fact]
    public async Task A_moment_before_a_move_shows_the_old_column_read_only_and_the_live_board_comes_back()
    {
        var key = await ProjectAsync(User.Ann, "Then and now");
        var t = await TaskAsync(User.Ann, key, new { title = "Travels in time", priority = "high" });
        var createdAt = DateTimeOffset.Parse((await GetAsync(User.Ann, $"/api/tasks/{t}")).GetProperty("createdAt").GetString()!);
        // The field chooses whole seconds: the next whole second after the creation, and the move well after it.
        var moment = new DateTimeOffset(createdAt.Ticks - createdAt.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero).AddSeconds(1);
        await Task.Delay(moment - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(600) is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
        Assert.True((await Api(User.Ann).PostJsonAsync($"/api/tasks/{t}/move", new { status = "done" })).IsSuccessStatusCode);
        Assert.True((await Api(User.Ann).PatchJsonAsync($"/api/tasks/{t}", new { title = "Travelled in time" })).IsSuccessStatusCode);

        var page = await OpenAsync(User.Ann, $"/projects/{key}");
        await Expect(CardIn(page, "done", t)).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Time travel" }).ClickAsync();
        var local = await page.EvaluateAsync<string>(
            "iso => { const d = new Date(iso), p = n => String(n).padStart(2, '0'); " +
            "return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`; }",
            moment.ToString("O"));
        await page.GetByLabel("Date and time").FillAsync(local);

        await Expect(page).ToHaveURLAsync(Url($"/projects/{key}/time-travel?at={Uri.EscapeDataString(moment.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"))}"));
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Viewing the board as it was on" })).ToBeVisibleAsync();
        var past = CardIn(page, "todo", t);
        await Expect(past).ToContainTextAsync("Travels in time");
        await Expect(page.Locator("ol.cards[data-status='done'] > li")).ToHaveCountAsync(0);
        await Expect(page.Locator(".card-move")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "New task" })).ToHaveCountAsync(0);

        // Dragging does nothing there.
        var done = (await page.Locator("ol.cards[data-status='done']").BoundingBoxAsync())!;
        await DragAsync(page, past, done.X + done.Width / 2, done.Y + 10, draggable: false);
        await Expect(CardIn(page, "todo", t)).ToBeVisibleAsync();

        // The task as it was then, read-only.
        await past.Locator(".card-title").ClickAsync();
        var panel = page.GetByRole(AriaRole.Dialog);
        await Expect(panel.GetByRole(AriaRole.Heading, new() { Name = $"{t} Travels in time" })).ToBeVisibleAsync();
        await Expect(panel.GetByText("(read-only)")).ToBeVisibleAsync();
        await Expect(panel.Locator("dd").First).ToHaveTextAsync("To do");
        await Expect(panel.Locator("input, textarea, select")).ToHaveCountAsync(0);
        await Expect(panel.Locator(".timeline li")).ToHaveCountAsync(1); // only what had happened by then
        await panel.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Expect(panel).ToBeHiddenAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Back to the live board" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Url($"/projects/{key}"));
        await Expect(CardIn(page, "done", t)).ToContainTextAsync("Travelled in time");
        await Expect(page.GetByText("Viewing the board as it was on")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Move {t} to…" })).ToHaveCountAsync(1);
    }
}
