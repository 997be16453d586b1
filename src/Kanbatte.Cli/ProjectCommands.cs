using System.CommandLine;
using System.Text.Json.Nodes;

namespace Kanbatte.Cli;

public static partial class Cli
{
    private static Argument<string> KeyArgument() => new("key") { Description = "The project key (AI)" };

    private static string ProjectPath(string key, string rest = "") => $"projects/{KanbatteClient.Segment(key.Trim().ToUpperInvariant())}{rest}";

    private static Command ProjectCommand()
    {
        var project = new Command("project", "Create, list and read projects; manage members");

        {
            var key = new Option<string>("--project", "-p") { Description = "The new project's key: 2-10 of A-Z and 0-9, starting with a letter", HelpName = "key", Required = true };
            var name = new Option<string>("--name", "-n") { Description = "Its name", HelpName = "name", Required = true };
            var description = new Option<string?>("--description", "-d") { Description = "Its description", HelpName = "text" };
            var repository = new Option<string?>("--repository", "-r") { Description = "Its repository (an http or https URL)", HelpName = "url" };
            var idempotencyKey = IdempotencyKeyOption();
            var format = FormatOption();
            var create = new Command("create", "Create a project (you are its first owner)") { key, name, description, repository, idempotencyKey, format };
            Action(create, async run =>
            {
                var body = new JsonObject { ["key"] = run.Get(key)!.Trim().ToUpperInvariant(), ["name"] = run.Get(name) };
                if (run.Get(description) is { } d) body["description"] = d;
                if (run.Get(repository) is { } r) body["repository"] = r;
                var answer = await run.Client.SendAsync(HttpMethod.Post, "projects", body, Retry.WithKey, run.Ct, run.Get(idempotencyKey));
                run.Write(Views.Entity(run.Get(format), answer.Body!, Views.Project));
            });
            project.Add(create);
        }
        {
            var limit = LimitOption("At most this many projects (default: all)");
            var format = FormatOption();
            var list = new Command("list", "The projects you are a member of") { limit, format };
            Action(list, async run => run.Write(Views.List(run.Get(format), await run.Client.GetAllAsync("projects", run.Ct, run.Get(limit)), Views.Projects)));
            project.Add(list);
        }
        {
            var key = KeyArgument();
            var format = FormatOption();
            var read = new Command("read", "A project") { key, format };
            Action(read, async run => run.Write(Views.Entity(run.Get(format), await run.Client.GetAsync(ProjectPath(run.Get(key)!), run.Ct), Views.Project)));
            project.Add(read);
        }
        {
            var key = KeyArgument();
            var limit = LimitOption("At most this many members (default: all)");
            var format = FormatOption();
            var members = new Command("members", "A project's members and their roles") { key, limit, format };
            Action(members, async run => run.Write(Views.List(run.Get(format),
                await run.Client.GetAllAsync(ProjectPath(run.Get(key)!, "/members"), run.Ct, run.Get(limit)), Views.Members)));
            project.Add(members);
        }
        {
            var key = KeyArgument();
            var user = new Argument<string>("userId") { Description = "The user's id (they learn it with 'kanbatte whoami')" };
            var role = new Option<string>("--role") { Description = "viewer, member or owner", HelpName = "role", Required = true };
            var name = new Option<string?>("--name", "-n") { Description = "Their display name (default: their user id)", HelpName = "name" };
            var format = FormatOption();
            var add = new Command("add-member", "Add a member, or change their role (owners)") { key, user, role, name, format };
            Action(add, async run =>
            {
                var body = new JsonObject { ["role"] = run.Get(role)!.Trim().ToLowerInvariant() };
                if (run.Get(name) is { } n) body["name"] = n;
                var answer = await run.Client.SendAsync(HttpMethod.Put, ProjectPath(run.Get(key)!, $"/members/{KanbatteClient.Segment(run.Get(user)!)}"), body, Retry.Safe, run.Ct);
                run.Write(Views.Entity(run.Get(format), answer.Body!, Views.Member));
            });
            project.Add(add);
        }
        {
            var key = KeyArgument();
            var user = new Argument<string>("userId") { Description = "The member's user id" };
            var remove = new Command("remove-member", "Remove a member (owners)") { key, user };
            Action(remove, async run =>
            {
                await run.Client.SendAsync(HttpMethod.Delete, ProjectPath(run.Get(key)!, $"/members/{KanbatteClient.Segment(run.Get(user)!)}"), null, Retry.No, run.Ct);
                run.Write($"Removed {run.Get(user)} from {run.Get(key)!.ToUpperInvariant()}.\n");
            });
            project.Add(remove);
        }
        return project;
    }
}
