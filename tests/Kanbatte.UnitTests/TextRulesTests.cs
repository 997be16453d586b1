using Kanbatte.Domain;

namespace Kanbatte.UnitTests;

/// <summary>
/// Text limits count what the OpenAPI document counts (JSON Schema maxLength: code points, not UTF-16 units), and a
/// one-line field is one visible line: no line or paragraph separators, no bidirectional overrides, not only invisible characters.
/// </summary>
public class TextRulesTests
{
    private const string Emoji = "\U0001F600"; // one code point, two UTF-16 units

    private static string Emojis(int count) => string.Concat(Enumerable.Repeat(Emoji, count));

    private static readonly CreateProject NewProject = new("AI", "AI research", null, null);
    private static readonly CreateTask NewTask = new("t", null, null);
    private static readonly AddComment NewComment = new("b");

    /// <summary>Validates a command with <paramref name="value"/> in one field, per text field of the API.</summary>
    private static readonly Dictionary<string, (string Field, int Max, Action<string> Validate)> Fields = new()
    {
        ["project name"] = ("name", Rules.ProjectNameMax, s => ProjectDecider.Validate(NewProject with { Name = s })),
        ["project name (change)"] = ("name", Rules.ProjectNameMax, s => ProjectDecider.Validate(new ChangeProject(s, null, null))),
        ["project description"] = ("description", Rules.ProjectDescriptionMax, s => ProjectDecider.Validate(NewProject with { Description = s })),
        ["task title"] = ("title", Rules.TitleMax, s => TaskDecider.Validate(NewTask with { Title = s })),
        ["task title (change)"] = ("title", Rules.TitleMax, s => TaskDecider.Validate(new ChangeTask(s, null, null))),
        ["task description"] = ("description", Rules.TaskDescriptionMax, s => TaskDecider.Validate(NewTask with { Description = s })),
        ["assignee"] = ("assignee", Rules.AssigneeMax, s => TaskDecider.Validate(NewTask with { Assignee = s })),
        ["assignee (change)"] = ("assignee", Rules.AssigneeMax, s => TaskDecider.Validate(new ChangeTask(null, null, null, Assignee: s))),
        ["label"] = ("labels", Rules.LabelMax, s => TaskDecider.Validate(NewTask with { Labels = ["ok", s] })),
        ["label (change)"] = ("labels", Rules.LabelMax, s => TaskDecider.Validate(new ChangeTask(null, null, null, Labels: [s]))),
        ["comment body"] = ("body", Rules.CommentBodyMax, s => TaskDecider.Validate(NewComment with { Body = s })),
        ["comment body (edit)"] = ("body", Rules.CommentBodyMax, s => TaskDecider.ValidateCommentBody(s)),
    };

    /// <summary>The one-line fields: title, project name, assignee, labels (a comment's author is the caller's name, no longer sent).</summary>
    private static readonly string[] OneLine =
        ["project name", "project name (change)", "task title", "task title (change)", "assignee", "assignee (change)", "label", "label (change)"];

    public static TheoryData<string> TextFields => new(Fields.Keys);

    public static TheoryData<string> OneLineFields => new(OneLine);

    private static void AssertViolation(string name, string value, string message)
    {
        var (field, _, validate) = Fields[name];
        ProjectRulesTests.AssertViolation(() => validate(value), field, message);
    }

    [Fact]
    public void A_title_of_150_emoji_is_150_characters_as_the_document_counts()
    {
        TaskDecider.Validate(new CreateTask(Emojis(150), null, null));
        TaskDecider.Validate(new CreateTask(Emojis(Rules.TitleMax), null, null));
        ProjectRulesTests.AssertViolation(() => TaskDecider.Validate(new CreateTask(Emojis(Rules.TitleMax + 1), null, null)), "title", "at most 200 characters");
    }

    [Theory]
    [MemberData(nameof(TextFields))]
    public void Every_text_limit_counts_code_points(string name)
    {
        var (field, max, validate) = Fields[name];
        validate(Emojis(max)); // 2 * max UTF-16 units
        validate("a" + Emojis(max - 1));
        AssertViolation(name, Emojis(max + 1), $"at most {max} characters");
    }

    [Fact]
    public void The_repository_limit_counts_code_points()
    {
        const string prefix = "https://example.com/";
        ProjectDecider.Validate(NewProject with { Repository = prefix + Emojis(Rules.RepositoryMax - prefix.Length) });
        ProjectRulesTests.AssertViolation(() => ProjectDecider.Validate(NewProject with { Repository = prefix + Emojis(Rules.RepositoryMax - prefix.Length + 1) }),
            "repository", $"at most {Rules.RepositoryMax} characters");
    }

    [Theory]
    [MemberData(nameof(OneLineFields))]
    public void A_one_line_field_refuses_line_and_paragraph_separators(string name)
    {
        AssertViolation(name, "one\u2028two", "must be one line");
        AssertViolation(name, "one\u2029two", "must be one line");
    }

    [Theory]
    [MemberData(nameof(OneLineFields))]
    public void A_one_line_field_refuses_bidirectional_overrides_and_isolates(string name)
    {
        foreach (var control in "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069")
            AssertViolation(name, $"invoice{control}fdp.exe", "bidirectional");
    }

    [Theory]
    [MemberData(nameof(OneLineFields))]
    public void A_one_line_field_of_invisible_characters_only_is_refused(string name)
    {
        foreach (var invisible in new[] { "\u200B", "\uFEFF", "\u200B \uFEFF", "\u2060\u00AD", "\u200D\u200C", "\u180E", "\U000E0041", "\u3164", "\uFE0F", " \u200B " })
        {
            var (field, _, validate) = Fields[name];
            var e = Assert.Throws<ValidationException>(() => validate(invisible));
            Assert.True(e.Errors.ContainsKey(field), $"{Escape(invisible)}: expected an error on '{field}'");
            // Whitespace alone keeps its own message ("must not be blank."); anything else invisible names the problem.
            Assert.Contains(e.Errors[field], m => m.Contains("visible character", StringComparison.Ordinal) || m == "must not be blank.");
        }
        AssertViolation(name, "\u200B", "must contain a visible character");
        AssertViolation(name, "\uFEFF\u200B", "must contain a visible character");
    }

    [Theory]
    [MemberData(nameof(OneLineFields))]
    public void A_one_line_field_keeps_visible_text_with_joiners_marks_and_right_to_left_scripts(string name)
    {
        var validate = Fields[name].Validate;
        validate("a\u200Bb");                          // a zero-width space inside visible text
        validate("\U0001F468\u200D\U0001F469\u200D\U0001F467"); // a family emoji: a ZWJ sequence
        validate("\u05E2\u05D1\u05E8\u05D9\u05EA");     // Hebrew
        validate("abc \u200F\u05D0");                   // a right-to-left mark is not an override
        validate("caf\u0065\u0301");                    // a combining accent
    }

    [Theory]
    [InlineData("project description")]
    [InlineData("task description")]
    [InlineData("comment body")]
    [InlineData("comment body (edit)")]
    public void Multi_line_texts_may_hold_line_and_paragraph_separators(string name) =>
        Fields[name].Validate("one\u2028two\u2029three");

    [Fact]
    public void A_comment_body_of_invisible_characters_only_is_refused_like_a_blank_one()
    {
        AssertViolation("comment body", "\u200B\uFEFF", "must contain a visible character");
        AssertViolation("comment body (edit)", "\u200B\n\u2060", "must contain a visible character");
        TaskDecider.Validate(NewTask with { Description = "\u200B" }); // a description may be empty, so it may be invisible too
    }

    [Theory]
    [InlineData("A\u202EB")]
    [InlineData("\u2066AB")]
    [InlineData("AB\u200B")]
    [InlineData("A\u2028B")]
    public void A_project_key_is_only_A_Z_and_0_9(string key) =>
        ProjectRulesTests.AssertViolation(() => ProjectDecider.Validate(NewProject with { Key = key }), "key", "must be 2-10");

    private static string Escape(string s) => string.Concat(s.EnumerateRunes().Select(r => $"U+{r.Value:X4} "));
}
