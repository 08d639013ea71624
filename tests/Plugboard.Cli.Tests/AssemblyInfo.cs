using Plugboard.Cli.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(CliServer))]
