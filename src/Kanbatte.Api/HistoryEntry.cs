using System.Text.Json;
using Kanbatte.Application;

namespace Kanbatte.Api;

/// <summary>One event of a task's history.</summary>
public sealed record HistoryEntry(string Type, int Version, DateTimeOffset OccurredAt, Actor? Actor, JsonElement Data)
{
    public static HistoryEntry Of(EventEnvelope e) => new(e.Type, e.Version, e.RecordedAt, e.Metadata.Actor, e.Data);
}
