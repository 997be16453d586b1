using Kanbatte.Application;

namespace Kanbatte.Storage.Tests;

/// <summary>Everything a view holds, read through its own list queries, in a stable order.</summary>
public static class ViewSnapshot
{
    public static async Task<IReadOnlyList<ViewDocument>> TakeAsync(IViewStore view)
    {
        var docs = new List<ViewDocument>();
        var projects = await view.ListProjectsAsync(null, 1000);
        docs.AddRange(projects);
        foreach (var project in projects)
        {
            var key = project.Id["project:".Length..];
            var tasks = (await view.ListTasksAsync(new TaskListQuery(key, [], 0, 1000)))
                .Concat(await view.ListTasksAsync(new TaskListQuery(key, [], 0, 1000) { Archived = true })).ToList();
            docs.AddRange(tasks);
            foreach (var task in tasks)
                docs.AddRange(await view.ListCommentsAsync(key, task.Id["task:".Length..], 0, 1000));
        }
        return docs;
    }
}
