using Plugboard.Bench;

return await BenchCommand.InvokeAsync(args);
