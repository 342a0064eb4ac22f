using IotActors.Emulator.Simulation;

namespace IotActors.Emulator.Tests.Simulation;

/// <summary>The ground truth survives the trip through a file (emulate --truth-out → verify), every field of every device.</summary>
public sealed class GroundTruthFileTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("iotactors-truth-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void Every_device_field_reads_back_as_written()
    {
        var simulator = new DeviceSimulator(new SimulatorOptions { Devices = 12, Seed = 3, LateProbability = 0.2 });
        foreach (var _ in simulator.Generate(1500)) { }
        var truth = simulator.Truth;
        var path = Path.Combine(_folder.FullName, "truth.json");

        GroundTruthFile.Write(truth, path);
        var read = GroundTruthFile.Read(path);

        Assert.Equal(truth.TotalMessages, read.TotalMessages);
        Assert.Equal(truth.Devices.Keys.Select(d => d.ToString()).Order(), read.Devices.Keys.Select(d => d.ToString()).Order());
        Assert.Contains(truth.Devices.Values, d => d.Events.Count > 0 && d.Status is not null);
        foreach (var (device, expected) in truth.Devices)
        {
            var actual = read[device];
            Assert.Equal(expected.IotId, actual.IotId);
            Assert.Equal(expected.DistinctMessages, actual.DistinctMessages);
            Assert.Equal(expected.Status, actual.Status);
            Assert.Equal(expected.Lifecycle, actual.Lifecycle);
            // Values are the exact JSON text the device sent, so records compare equal field by field.
            Assert.Equal(expected.Properties.OrderBy(p => p.Key), actual.Properties.OrderBy(p => p.Key));
            Assert.Equal(expected.Events.OrderBy(e => e.Key), actual.Events.OrderBy(e => e.Key));
        }
    }

    [Fact]
    public void Writing_replaces_the_file_whole_and_leaves_no_temporary_file()
    {
        var path = Path.Combine(_folder.FullName, "truth.json");
        File.WriteAllText(path, "an older file");
        var simulator = new DeviceSimulator(new SimulatorOptions { Devices = 2 });
        foreach (var _ in simulator.Generate(20)) { }

        GroundTruthFile.Write(simulator.Truth, path);

        Assert.Equal(["truth.json"], _folder.EnumerateFiles().Select(f => f.Name));
        Assert.Equal(20, GroundTruthFile.Read(path).TotalMessages);
    }

    [Fact]
    public void A_file_that_is_not_a_ground_truth_is_refused_with_its_name()
    {
        var path = Path.Combine(_folder.FullName, "other.json");
        File.WriteAllText(path, """{"devices": []}""");

        var error = Assert.Throws<InvalidDataException>(() => GroundTruthFile.Read(path));

        Assert.Contains("other.json", error.Message);
        Assert.Contains("format", error.Message);
    }
}
