using System.CommandLine;
using System.Runtime.InteropServices;

namespace Kanbatte.Cli;

/// <summary>The command tree, its shared options, and running it: exit codes, errors on standard error, Ctrl+C.</summary>
public static partial class Cli
{
    public static readonly Option<string?> ServerOption = new("--server")
    {
        Description = $"The Kanbatte server or function app (default: ${Invocation.ServerVariable}, else {Invocation.DefaultServer})",
        HelpName = "url",
        Recursive = true,
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var root = Build();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) Console.Error.WriteLine(error.Message);
            Console.Error.WriteLine($"See 'kanbatte {string.Join(' ', CommandPath(parse))} --help'.".Replace("  ", " "));
            return ExitCodes.Usage;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false };
        return await parse.InvokeAsync(configuration, stop.Token);
    }

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            if (result.Command is not RootCommand) names.Insert(0, result.Command.Name);
        return names;
    }

    public static RootCommand Build()
    {
        var root = new RootCommand("Kanbatte from a terminal: projects, tasks, comments and followups of a Kanbatte server or function app.")
        {
            ServerOption,
        };
        foreach (var command in AuthCommands()) root.Add(command);
        root.Add(ProjectCommand());
        root.Add(TaskCommand());
        root.Add(FollowupCommand());
        root.Add(BoardCommand());
        root.Add(ActivityCommand());
        root.Add(WatchCommand());
        return root;
    }

    /// <summary><c>--format table|json|markdown</c>, with <c>-f</c> unless the command uses <c>-f</c> for something else.</summary>
    public static Option<OutputFormat> FormatOption(bool shortAlias = true)
    {
        // No default value factory: absent, the option is default(OutputFormat), the table.
        Option<OutputFormat> option = shortAlias ? new("--format", "-f") : new("--format");
        option.Description = "Output: table (the default), json (the API's documents) or markdown";
        option.HelpName = "table|json|markdown";
        option.CustomParser = result =>
        {
            var value = result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim().ToLowerInvariant() : "";
            switch (value)
            {
                case "table": return OutputFormat.Table;
                case "json": return OutputFormat.Json;
                case "markdown" or "md": return OutputFormat.Markdown;
                default:
                    result.AddError($"--format: '{value}' is not one of table, json, markdown.");
                    return OutputFormat.Table;
            }
        };
        return option;
    }

    public static Option<string?> IdempotencyKeyOption() => new("--idempotency-key")
    {
        Description = "The Idempotency-Key to send (default: a new one); the same key again gets the first answer instead of a second create",
        HelpName = "key",
    };

    public static Option<int?> LimitOption(string description) => new("--limit")
    {
        Description = description,
        HelpName = "n",
        Validators = { r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--limit must be 1 or more."); } },
    };

    /// <summary>Runs <paramref name="body"/> as the command's action: its errors go to standard error with their exit code.</summary>
    public static void Action(Command command, Func<Invocation, Task> body) =>
        command.SetAction(async (parse, ct) =>
        {
            using var invocation = new Invocation(parse, ct);
            try
            {
                await body(invocation);
                return ExitCodes.Success;
            }
            catch (CliException e)
            {
                foreach (var line in e.Lines) Console.Error.WriteLine(line);
                return e.ExitCode;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return ExitCodes.Interrupted;
            }
            catch (IOException e)
            {
                // Standard output closed early (kanbatte task list | head -1), or a file the tool keeps could not be written.
                return Fail($"kanbatte: {e.Message}");
            }
            catch (System.Text.Json.JsonException e)
            {
                return Fail($"The server's answer could not be read: {e.Message}");
            }
        });

    private static int Fail(string line)
    {
        try
        {
            Console.Error.WriteLine(line.ReplaceLineEndings(" "));
        }
        catch (IOException) { }
        return ExitCodes.Failure;
    }
}
