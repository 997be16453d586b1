namespace Kanbatte.Domain;

/// <summary>A fact recorded in the event log. Its wire name is given by <see cref="EventTypes"/>.</summary>
public interface IDomainEvent;
