using System.Reflection;

namespace Kanbatte.Infrastructure.Tests;

/// <summary>The change-feed trigger of src/Kanbatte.Functions, read by reflection (the official attribute or its stand-in).</summary>
internal sealed record TriggerAttribute(
    string Database, string MonitoredContainer, string LeaseDatabase, string LeaseContainer, string Connection, string LeaseConnection, bool CreatesLeaseContainer)
{
    /// <summary>The trigger's <c>FeedPollDelay</c> in milliseconds (0: not set, the extension's default of 5 s).</summary>
    public static int FeedPollDelay() => (int)(Attribute().GetType().GetProperty("FeedPollDelay")?.GetValue(Attribute()) ?? 0);

    /// <summary>The one trigger of the function app; fails when the app's assembly or its trigger cannot be found.</summary>
    public static TriggerAttribute Find()
    {
        var attribute = Attribute();
        string? Read(string property) => attribute.GetType().GetProperty(property)?.GetValue(attribute) as string;
        var database = Read("DatabaseName") ?? throw new InvalidOperationException("The trigger names no database.");
        return new TriggerAttribute(
            database,
            Read("ContainerName") ?? throw new InvalidOperationException("The trigger names no container."),
            string.IsNullOrEmpty(Read("LeaseDatabaseName")) ? database : Read("LeaseDatabaseName")!,
            // The official attribute's default lease container is "leases".
            string.IsNullOrEmpty(Read("LeaseContainerName")) ? "leases" : Read("LeaseContainerName")!,
            Read("Connection") ?? "",
            // Without its own lease connection the trigger uses Connection for the leases too.
            string.IsNullOrEmpty(Read("LeaseConnection")) ? Read("Connection") ?? "" : Read("LeaseConnection")!,
            attribute.GetType().GetProperty("CreateLeaseContainerIfNotExists")?.GetValue(attribute) is true);
    }

    private static object Attribute()
    {
        var functions = Assembly.Load(new AssemblyName("Kanbatte.Functions"));

        var triggers = functions.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .SelectMany(m => m.GetParameters())
            .SelectMany(p => p.GetCustomAttributes(inherit: false))
            .Where(a => a.GetType().Name == "CosmosDBTriggerAttribute")
            .ToList();
        return Assert.Single(triggers);
    }
}
