using System.Text.Json;
using Kanbatte.Application;
using Kanbatte.Domain;

namespace Kanbatte.Api;

/// <summary>One event as the activity feed and a task's history show it, with who made it (null before users existed).</summary>
public sealed record ActivityEntry(string Type, string? TaskId, int Version, DateTimeOffset OccurredAt, Actor? Actor, JsonElement Data)
{
    public static ActivityEntry Of(EventEnvelope e) => new(e.Type,
        e.StreamId.StartsWith(StreamIds.TaskPrefix, StringComparison.Ordinal) ? e.StreamId[StreamIds.TaskPrefix.Length..] : null,
        e.Version, e.RecordedAt, e.Metadata.Actor, e.Data);
}
