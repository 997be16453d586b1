using System.Text.Json.Serialization;

namespace Kanbatte.Api;

/// <summary>
/// RFC 9457 problem details. <c>errors</c> maps each offending field to what is wrong with it; when more errors were
/// found than it lists, <c>errorCount</c> says how many there were in all.
/// </summary>
public sealed record Problem(
    string Type, string Title, int Status, string Detail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string[]>? Errors = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? CurrentVersion = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ErrorCount = null);
