namespace Kanbatte.Application;

/// <summary>An event the projector could not apply, kept with the error until a re-drive applies it.</summary>
public sealed record DeadLetter(EventEnvelope Event, string Error, DateTimeOffset ParkedAt, int Attempts);
