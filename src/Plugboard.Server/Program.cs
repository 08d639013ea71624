using Plugboard.Server;

return await PlugboardApp.RunAsync(args);

public partial class Program;
