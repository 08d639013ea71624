using Plugboard.Client.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(Servers))]
