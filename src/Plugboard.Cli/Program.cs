return await Plugboard.Cli.CliApp.RunAsync(args, Plugboard.Cli.CliHost.FromConsole());
