using System.Text.Json;

namespace Kanbatte.Application;

/// <summary>
/// One entity's change as the changes feed tells it: <see cref="Upsert"/> with the entity's document as its own GET
/// answers it, or <see cref="Delete"/> with no data. <see cref="Version"/> is the version of the entity's stream at
/// that change, so a client that keeps the highest version per entity can apply changes in any repeat.
/// </summary>
public sealed record EntityChange(string Entity, string Id, string Op, int Version, JsonElement? Data)
{
    public const string Upsert = "upsert";
    public const string Delete = "delete";

    public const string Project = "project";
    public const string Member = "member";
    public const string Task = "task";
    public const string Comment = "comment";
    public const string Followup = "followup";

    public static EntityChange Of(string entity, string id, ViewDocument? doc, int version) =>
        doc is null
            ? new EntityChange(entity, id, Delete, version, null)
            : new EntityChange(entity, id, Upsert, doc.Version, JsonElement.Parse(doc.Json));
}
