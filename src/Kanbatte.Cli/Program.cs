using Kanbatte.Cli;

return await Cli.RunAsync(args);
