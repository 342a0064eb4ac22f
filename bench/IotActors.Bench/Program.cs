using IotActors.Bench;
using IotActors.Bench.Reporting;

return await BenchProgram.MainAsync(args, Console.Out, Console.Error);

namespace IotActors.Bench
{
    /// <summary>The command line: parse, run, print the tables, write the JSON. Also called in-process by the smoke test.</summary>
    public static class BenchProgram
    {
        public static async Task<int> MainAsync(string[] args, TextWriter output, TextWriter error)
        {
            if (args.Contains("--help") || args.Contains("-h"))
            {
                output.WriteLine(BenchSettings.Usage);
                return 0;
            }
            BenchSettings settings;
            try
            {
                settings = BenchSettings.Parse(args);
            }
            catch (ArgumentException e)
            {
                error.WriteLine("error: " + e.Message);
                error.WriteLine(BenchSettings.Usage);
                return 2;
            }

            var report = await BenchRunner.RunAsync(settings, "iotactors-bench " + string.Join(' ', args), output);
            ReportWriter.WriteTables(report, output);
            ReportWriter.WriteJson(report, settings.JsonPath);
            output.WriteLine($"JSON report: {Path.GetFullPath(settings.JsonPath)}; total {report.TotalSeconds:F0} s; load average {report.LoadAverageAtStart} at the start, {report.LoadAverageAtEnd} at the end");
            return 0;
        }
    }
}
