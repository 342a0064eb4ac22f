using IotActors.Host.Running;

namespace IotActors.Host.Tests.Running;

public class LiveViewModeTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Auto_is_a_table_on_an_interactive_terminal_outside_ci() =>
        Assert.Equal(LiveViewMode.Table, LiveViewModes.Resolve(LiveViewMode.Auto, outputRedirected: false, Environment(("TERM", "xterm-256color"))));

    [Fact]
    public void Auto_is_the_line_when_output_is_redirected() =>
        Assert.Equal(LiveViewMode.Line, LiveViewModes.Resolve(LiveViewMode.Auto, outputRedirected: true, Environment()));

    [Theory]
    [InlineData("true")]
    [InlineData("1")]
    [InlineData("yes")]
    public void Auto_is_the_line_under_ci_even_on_a_terminal(string ci) =>
        Assert.Equal(LiveViewMode.Line, LiveViewModes.Resolve(LiveViewMode.Auto, outputRedirected: false, Environment(("CI", ci))));

    [Theory]
    [InlineData("false")]
    [InlineData("0")]
    [InlineData("")]
    public void A_ci_variable_that_says_no_leaves_the_table(string ci) =>
        Assert.Equal(LiveViewMode.Table, LiveViewModes.Resolve(LiveViewMode.Auto, outputRedirected: false, Environment(("CI", ci))));

    [Fact]
    public void Auto_is_the_line_on_a_dumb_terminal() =>
        Assert.Equal(LiveViewMode.Line, LiveViewModes.Resolve(LiveViewMode.Auto, outputRedirected: false, Environment(("TERM", "dumb"))));

    [Fact]
    public void A_forced_mode_is_kept_whatever_the_terminal()
    {
        Assert.Equal(LiveViewMode.Table, LiveViewModes.Resolve(LiveViewMode.Table, outputRedirected: true, Environment(("CI", "true"))));
        Assert.Equal(LiveViewMode.Line, LiveViewModes.Resolve(LiveViewMode.Line, outputRedirected: false, Environment()));
    }

    [Theory]
    [InlineData(null, LiveViewMode.Auto)]
    [InlineData("", LiveViewMode.Auto)]
    [InlineData("auto", LiveViewMode.Auto)]
    [InlineData("LINE", LiveViewMode.Line)]
    [InlineData(" Table ", LiveViewMode.Table)]
    public void Reads_the_configured_mode(string? text, LiveViewMode expected)
    {
        Assert.True(LiveViewModes.TryParse(text, out var mode));
        Assert.Equal(expected, mode);
    }

    [Theory]
    [InlineData("fancy")]
    [InlineData("lines")]
    [InlineData("1")]
    public void Refuses_any_other_mode(string text) => Assert.False(LiveViewModes.TryParse(text, out _));

    [Fact]
    public async Task Run_refuses_an_unknown_view_mode_naming_the_setting()
    {
        using var run = HostProcess.Start(new Dictionary<string, string?> { ["IOTACTORS__VIEW__MODE"] = "fancy" }, "run", "--http-port", "0");
        Assert.Equal(2, await run.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("error: View:Mode is 'fancy'; allowed line, table or auto.", run.Output);
    }
}
