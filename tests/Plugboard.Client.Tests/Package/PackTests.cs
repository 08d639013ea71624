using System.Diagnostics;
using System.IO.Compression;
using Plugboard.Testing.Servers;

namespace Plugboard.Client.Tests.Package;

public sealed class PackTests
{
    [Fact]
    public async Task DotnetPack_TheBuiltSdk_AnswersAPackageWithItsDocsAndReadme()
    {
        var repo = ServerDll.RepositoryRoot();
        var output = Directory.CreateTempSubdirectory("plugboard-pack-");
        try
        {
            var pack = new ProcessStartInfo("dotnet", ["pack", Path.Combine(repo, "src/Plugboard.Client"), "-c", "Release", "--no-build", "--nologo", "-o", output.FullName])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(pack)!;
            var log = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();

            Assert.True(process.ExitCode == 0, log);
            var package = Assert.Single(output.GetFiles("Plugboard.Client.*.nupkg"));
            using var zip = ZipFile.OpenRead(package.FullName);
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
            Assert.Contains("lib/net10.0/Plugboard.Client.dll", entries);
            Assert.Contains("lib/net10.0/Plugboard.Client.xml", entries);
            Assert.Contains("README.md", entries);
            using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            var manifest = await nuspec.ReadToEndAsync();
            Assert.Contains("Microsoft.Extensions.Http.Resilience", manifest, StringComparison.Ordinal);
            Assert.DoesNotContain("Plugboard.Server", manifest, StringComparison.Ordinal);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
