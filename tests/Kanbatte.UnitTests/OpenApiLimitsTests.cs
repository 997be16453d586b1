using System.Reflection;
using System.Text.Json;
using Kanbatte.Domain;

namespace Kanbatte.UnitTests;

/// <summary>
/// The OpenAPI document (src/Kanbatte.Api/openapi.json, copied beside the tests) promises the same text limits as
/// <see cref="Rules"/> enforces: each text field's maxLength is the rule's constant, and minLength is 1 exactly where the
/// rule refuses an empty value.
/// </summary>
public class OpenApiLimitsTests
{
    private static readonly JsonElement Document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "openapi.json"))).RootElement;

    private sealed record Limit(int Max, bool RefusesEmpty, string Constant);

    private static Limit Of(int max, bool refusesEmpty, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(max))] string constant = "") =>
        new(max, refusesEmpty, constant["Rules.".Length..]);

    // Optional one-line fields (assignee, author, labels) refuse "" as blank, so their requests say minLength 1 too.
    private static readonly Limit Name = Of(Rules.ProjectNameMax, true);
    private static readonly Limit ProjectDescription = Of(Rules.ProjectDescriptionMax, false);
    private static readonly Limit Repository = Of(Rules.RepositoryMax, false);
    private static readonly Limit Title = Of(Rules.TitleMax, true);
    private static readonly Limit TaskDescription = Of(Rules.TaskDescriptionMax, false);
    private static readonly Limit Assignee = Of(Rules.AssigneeMax, true);
    private static readonly Limit Label = Of(Rules.LabelMax, true);
    private static readonly Limit Body = Of(Rules.CommentBodyMax, true);
    private static readonly Limit UserId = Of(Rules.UserIdMax, true);
    private static readonly Limit MemberName = Of(Rules.MemberNameMax, true);
    private static readonly Limit FollowupBody = Of(Rules.FollowupBodyMax, true);

    /// <summary>Every text field of the document (schema property, or a query parameter) and the rule that governs it.</summary>
    private static readonly Dictionary<string, Limit> TextFields = new(StringComparer.Ordinal)
    {
        ["CreateProjectRequest.name"] = Name,
        ["CreateProjectRequest.description"] = ProjectDescription,
        ["CreateProjectRequest.repository"] = Repository,
        ["ChangeProjectRequest.name"] = Name,
        ["ChangeProjectRequest.description"] = ProjectDescription,
        ["ChangeProjectRequest.repository"] = Repository,
        ["Project.name"] = Name,
        ["Project.description"] = ProjectDescription,
        ["Project.repository"] = Repository,
        ["CreateTaskRequest.title"] = Title,
        ["CreateTaskRequest.description"] = TaskDescription,
        ["CreateTaskRequest.assignee"] = Assignee,
        ["CreateTaskRequest.labels[]"] = Label,
        ["ChangeTaskRequest.title"] = Title,
        ["ChangeTaskRequest.description"] = TaskDescription,
        ["ChangeTaskRequest.assignee"] = Assignee,
        ["ChangeTaskRequest.labels[]"] = Label,
        ["Task.title"] = Title,
        ["Task.description"] = TaskDescription,
        ["Task.assignee"] = Assignee,
        ["Task.labels[]"] = Label,
        ["AddCommentRequest.body"] = Body,
        ["EditCommentRequest.body"] = Body,
        ["Comment.body"] = Body,
        ["GET /projects/{key}/tasks ?q"] = Title,
        ["HEAD /projects/{key}/tasks ?q"] = Title, // the same list, answered without a body
        ["Member.userId"] = UserId,
        ["PutMemberRequest.name"] = MemberName,
        ["parameters.UserIdPath"] = UserId,
        ["Comment.authorId"] = UserId,
        ["AddFollowupRequest.body"] = FollowupBody,
        ["ChangeFollowupRequest.body"] = FollowupBody,
        ["Followup.body"] = FollowupBody,
        ["Followup.authorId"] = UserId,
    };

    /// <summary>Limits in the document that are not text rules of the domain.</summary>
    private static readonly HashSet<string> NotTextRules = new(StringComparer.Ordinal)
    {
        "Task.rank", // written by the server (Ranks), never by a client
        "parameters.IdempotencyKey", // a header the API checks (1-255 printable ASCII)
        "parameters.CorrelationId", // a header the API checks
        "Me.id", // a token's user id: Identity accepts up to Caller.MaxIdLength characters
        "Me.name", // a token's display name, never empty (the id stands in for a missing one)
        "Actor.id", "Actor.name", "UserRef.id", "UserRef.name", // a token's user id and display name, recorded with events
        "Member.name", // the name given when added, or the user id
        "Followup.author", // the author's display name from their token, never empty
        "Change.id", "ChangesPage.cursor", // written by the server (an entity's id, an opaque cursor), never empty
    };

    private static readonly string[] RequestSchemas =
        ["CreateProjectRequest", "ChangeProjectRequest", "CreateTaskRequest", "ChangeTaskRequest", "AddCommentRequest", "EditCommentRequest"];

    /// <summary>Every place in the document that carries minLength or maxLength, by the names <see cref="TextFields"/> uses.</summary>
    private static Dictionary<string, JsonElement> LimitedStrings()
    {
        var found = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var schema in Document.GetProperty("components").GetProperty("schemas").EnumerateObject())
        {
            if (!schema.Value.TryGetProperty("properties", out var properties)) continue; // not an object schema
            foreach (var property in properties.EnumerateObject())
            {
                var name = $"{schema.Name}.{property.Name}";
                if (HasLengthLimit(property.Value)) found[name] = property.Value;
                if (property.Value.TryGetProperty("items", out var items) && HasLengthLimit(items)) found[name + "[]"] = items;
            }
        }
        foreach (var path in Document.GetProperty("paths").EnumerateObject())
        foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("parameters", out _)))
        foreach (var parameter in operation.Value.GetProperty("parameters").EnumerateArray())
            if (parameter.TryGetProperty("schema", out var schema) && HasLengthLimit(schema))
                found[$"{operation.Name.ToUpperInvariant()} {path.Name} ?{parameter.GetProperty("name").GetString()}"] = schema;
        foreach (var parameter in Document.GetProperty("components").GetProperty("parameters").EnumerateObject())
            if (HasLengthLimit(parameter.Value.GetProperty("schema"))) found["parameters." + parameter.Name] = parameter.Value.GetProperty("schema");
        return found;
    }

    private static bool HasLengthLimit(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && (schema.TryGetProperty("maxLength", out _) || schema.TryGetProperty("minLength", out _));

    private static int? Keyword(JsonElement schema, string name) => schema.TryGetProperty(name, out var value) ? value.GetInt32() : null;

    [Fact]
    public void Every_text_field_limit_in_the_document_is_the_rule_constant()
    {
        var found = LimitedStrings();
        Assert.NotEmpty(found);
        foreach (var (name, limit) in TextFields)
        {
            Assert.True(found.TryGetValue(name, out var schema), $"{name}: the document gives no length limit (expected maxLength {limit.Max}, {limit.Constant})");
            Assert.True(limit.Max == Keyword(schema, "maxLength"), $"{name}: maxLength is {Keyword(schema, "maxLength")}, the rule {limit.Constant} is {limit.Max}");
            var min = Keyword(schema, "minLength");
            var isRequest = RequestSchemas.Any(r => name.StartsWith(r + ".", StringComparison.Ordinal));
            // Requests state exactly what is refused; responses may leave out a minLength the rules make true anyway.
            if (isRequest || min is not null)
                Assert.True((limit.RefusesEmpty ? 1 : (int?)null) == min, $"{name}: minLength is {min?.ToString() ?? "absent"}, the rule {(limit.RefusesEmpty ? "refuses" : "accepts")} an empty value");
        }
    }

    [Fact]
    public void No_length_limit_in_the_document_is_left_without_a_rule()
    {
        var unexplained = LimitedStrings().Keys.Except(TextFields.Keys).Except(NotTextRules).Order(StringComparer.Ordinal).ToList();
        Assert.True(unexplained.Count == 0, "limits in openapi.json no test compares with a rule: " + string.Join(", ", unexplained));
        Assert.Empty(NotTextRules.Except(LimitedStrings().Keys)); // a stale exception would hide nothing, but would mislead
    }

    [Fact]
    public void Every_length_rule_appears_in_the_document()
    {
        var constants = typeof(Rules).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(int) && f.Name != nameof(Rules.LabelsMax))
            .Select(f => f.Name).ToList();
        Assert.NotEmpty(constants);
        Assert.Empty(constants.Except(TextFields.Values.Select(l => l.Constant)));
    }

    [Fact]
    public void The_label_count_limit_is_the_rule_constant()
    {
        var schemas = Document.GetProperty("components").GetProperty("schemas");
        foreach (var schema in new[] { "CreateTaskRequest", "ChangeTaskRequest", "Task" })
            Assert.Equal((schema, Rules.LabelsMax), (schema, Keyword(schemas.GetProperty(schema).GetProperty("properties").GetProperty("labels"), "maxItems")));
    }
}
