using Plugboard.Console.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(ConsoleFixture))]
