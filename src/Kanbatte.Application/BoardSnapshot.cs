namespace Kanbatte.Application;

/// <summary>A project's tasks as they were at one point of its history (a store position and its time).</summary>
public sealed record BoardSnapshot(string ProjectKey, string Position, DateTimeOffset At, IReadOnlyList<string> TasksJson);
