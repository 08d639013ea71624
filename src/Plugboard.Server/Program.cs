using Plugboard.Server;

// `migrate` and `check` run and exit without serving (`rewrap` is handled by RunAsync, after the start-up checks).
return ServerCommands.Handles(args) ? await ServerCommands.RunAsync(args) : await PlugboardApp.RunAsync(args);

public partial class Program;
