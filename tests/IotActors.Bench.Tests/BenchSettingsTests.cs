namespace IotActors.Bench.Tests;

public sealed class BenchSettingsTests
{
    [Fact]
    public void Without_axes_the_default_matrix_runs_every_scenario_but_the_adapter_with_each_floor_before_its_pipeline()
    {
        var settings = BenchSettings.Parse([]);

        Assert.Equal(BenchSettings.DefaultMatrix, settings.Cells);
        Assert.Equal(["ceiling", "vendor-sample", "akka-floor", "iotactors-memory", "akka-persist-floor", "iotactors-durable"], settings.ScenarioList);
        Assert.False(settings.Quick);
    }

    [Fact]
    public void Given_axes_run_their_product_and_the_others_keep_the_base_values()
    {
        var settings = BenchSettings.Parse(["--connections", "1,8", "--credit", "20,1k"]);

        Assert.Equal(
            [new BenchCell(1, 1_000, 20, 200), new BenchCell(1, 1_000, 1_000, 200), new BenchCell(8, 1_000, 20, 200), new BenchCell(8, 1_000, 1_000, 200)],
            settings.Cells);
    }

    [Fact]
    public void Quick_is_one_small_cell_with_every_scenario_unless_options_say_otherwise()
    {
        var quick = BenchSettings.Parse(["--quick"]);
        var narrowed = BenchSettings.Parse(["--quick", "--scenarios", "ceiling", "--measure", "4"]);

        Assert.True(quick.Quick);
        var cell = Assert.Single(quick.Cells);
        Assert.Equal(1, cell.Connections);
        Assert.Equal(BenchSettings.AllScenarios, quick.ScenarioList);
        Assert.True(quick.Warmup + quick.Measure + quick.Paced < TimeSpan.FromSeconds(10));
        Assert.Equal(["ceiling"], narrowed.ScenarioList);
        Assert.Equal(TimeSpan.FromSeconds(4), narrowed.Measure);
    }

    [Theory]
    [InlineData("--scenarios", "ceiling,turbo")]
    [InlineData("--connections", "0")]
    [InlineData("--credit", "lots")]
    [InlineData("--load", "1.5")]
    [InlineData("--topology", "mesh")]
    [InlineData("--sqlite-checkpoint-pages", "0")]
    [InlineData("--durable-cycles", "-1")]
    [InlineData("--durable-cycles", "many")]
    [InlineData("--repeat", "0")]
    [InlineData("--repeat", "21")]
    [InlineData("--repeat", "2,3")]
    [InlineData("--snapshot-every", "0")]
    [InlineData("--snapshot-every", "100001")]
    [InlineData("--dedupe-window", "0")]
    [InlineData("--dedupe-window", "100,200")]
    public void A_bad_option_is_refused_with_its_name(string option, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => BenchSettings.Parse([option, value]));

        Assert.Contains(option, error.Message);
    }

    [Fact]
    public void Sqlite_checkpoint_pages_default_to_the_hosts_and_can_be_set()
    {
        Assert.Equal(IotActors.Actors.Persistence.DevicePersistenceOptions.DefaultSqliteCheckpointPages, BenchSettings.Parse([]).SqliteCheckpointPages);
        Assert.Equal(1000, BenchSettings.Parse(["--sqlite-checkpoint-pages", "1000"]).SqliteCheckpointPages);
    }

    [Fact]
    public void The_durable_warm_up_covers_two_snapshot_cycles_of_a_fleet_it_can_reach()
    {
        var settings = BenchSettings.Parse([]);

        Assert.Equal(200_000, settings.DurableWarmupMessages(BenchSettings.BaseCell, snapshotEvery: 100));
        Assert.Equal(0, settings.DurableWarmupMessages(BenchSettings.BaseCell with { Devices = 100_000 }, snapshotEvery: 100));
        Assert.Equal(50_000, BenchSettings.Parse(["--durable-cycles", "0.5"]).DurableWarmupMessages(BenchSettings.BaseCell, 100));
        Assert.Equal(0, BenchSettings.Parse(["--durable-cycles", "0"]).DurableWarmupMessages(BenchSettings.BaseCell, 100));
    }

    [Fact]
    public void Quick_warms_durable_up_by_time_alone_unless_asked()
    {
        Assert.Equal(0, BenchSettings.Parse(["--quick"]).DurableWarmupMessages(BenchSettings.BaseCell, 100));
        Assert.Equal(100_000, BenchSettings.Parse(["--quick", "--durable-cycles", "1"]).DurableWarmupMessages(BenchSettings.BaseCell, 100));
    }

    [Fact]
    public void Durable_runs_as_the_host_does_unless_asked_otherwise()
    {
        Assert.False(BenchSettings.Parse([]).KeepEvents);
        Assert.True(BenchSettings.Parse(["--keep-events"]).KeepEvents);
        Assert.True(BenchSettings.Parse(["--quick", "--keep-events"]).KeepEvents);
        Assert.False(BenchSettings.Parse([]).UnspreadSnapshots);
        Assert.True(BenchSettings.Parse(["--unspread-snapshots"]).UnspreadSnapshots);
        Assert.False(BenchSettings.Parse([]).SqliteWriterCheckpoints);
        Assert.True(BenchSettings.Parse(["--sqlite-writer-checkpoints"]).SqliteWriterCheckpoints);
    }

    [Fact]
    public void Devices_snapshot_and_remember_as_the_host_unless_asked_otherwise()
    {
        var host = new IotActors.Actors.Devices.DeviceOptions();
        var defaults = BenchSettings.Parse([]);
        Assert.Null(defaults.SnapshotEvery);
        Assert.Null(defaults.DedupeWindow);
        Assert.Equal(host.SnapshotEvery, defaults.PipelineDeviceOptions().SnapshotEvery);
        Assert.Equal(host.DedupeWindow, defaults.PipelineDeviceOptions().DedupeWindow);

        var changed = BenchSettings.Parse(["--quick", "--snapshot-every", "400", "--dedupe-window", "100"]);
        Assert.Equal(400, changed.PipelineDeviceOptions().SnapshotEvery);
        Assert.Equal(100, changed.PipelineDeviceOptions().DedupeWindow);
    }

    [Fact]
    public void Fleets_are_resident_before_the_window_unless_a_cold_fleet_is_asked_for()
    {
        Assert.False(BenchSettings.Parse([]).ColdFleet);
        Assert.True(BenchSettings.Parse(["--cold-fleet"]).ColdFleet);
        Assert.True(BenchSettings.Parse(["--quick", "--cold-fleet"]).ColdFleet);
    }

    [Fact]
    public void Each_cell_runs_once_unless_repetitions_are_asked_for()
    {
        Assert.Equal(1, BenchSettings.Parse([]).Repetitions);
        Assert.Equal(1, BenchSettings.Parse(["--quick"]).Repetitions);
        Assert.Equal(3, BenchSettings.Parse(["--repeat", "3"]).Repetitions);
        Assert.Equal(2, BenchSettings.Parse(["--quick", "--repeat", "2"]).Repetitions);
    }
}
