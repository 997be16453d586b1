namespace Kanbatte.Application;

/// <summary>
/// A write to the view: an upsert of <see cref="Document"/>, or, when it is null, a delete of (Partition, Id) made by its
/// stream's event at <see cref="Version"/>. Neither moves a document back: a delete leaves one written at a later version
/// (a member removed and added again, the removal projected late by a re-drive).
/// </summary>
public sealed record ViewChange(string Partition, string Id, ViewDocument? Document, int Version)
{
    public ViewChange(ViewDocument document) : this(document.Partition, document.Id, document, document.Version) { }

    public static ViewChange Delete(string partition, string id, int version) => new(partition, id, null, version);
}
