namespace Kanbatte.Application;

/// <summary>What a re-drive did: how many parked events it applied and how many failed again (and stay parked).</summary>
public sealed record RedriveResult(int Applied, int StillFailing);
