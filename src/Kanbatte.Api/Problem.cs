using System.Text.Json.Serialization;

namespace Kanbatte.Api;

/// <summary>RFC 9457 problem details. <c>errors</c> maps each offending field to what is wrong with it.</summary>
public sealed record Problem(
    string Type, string Title, int Status, string Detail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string[]>? Errors = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? CurrentVersion = null);
