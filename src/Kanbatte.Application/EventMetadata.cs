using System.Text.Json.Serialization;

namespace Kanbatte.Application;

/// <summary>
/// Who asked for a change and in which request: carried with every event, so each change can be traced to its request
/// and its actor (null on events written before users existed).
/// </summary>
public sealed record EventMetadata(
    string CorrelationId,
    string? CausationId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Actor? Actor = null);
