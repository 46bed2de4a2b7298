using WeOps.Engine.Execution;
using WeOps.Engine.Persistence;

namespace WeOps.Engine.Tests.Persistence;

/// <summary>A node keeps the last state of a bounded number of instances, oldest dropped first, and never drops one a
/// step is evaluating; two steps of one instance take its gate one after the other.</summary>
public sealed class InstanceTipsTests
{
    private static InstanceTip Tip(Guid id) => new(new InstanceState { InstanceId = id.ToString(), DefinitionKey = "p" }, 1, null);

    [Fact]
    public async Task At_most_the_capacity_of_tips_is_kept_the_oldest_dropped_first_and_none_in_use()
    {
        var tips = new InstanceTips(capacity: 2);
        var ids = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToArray();
        using var inUse = await tips.HoldAsync(ids[0], CancellationToken.None);
        inUse.Tip = Tip(ids[0]);
        foreach (var id in ids[1..])
        {
            using var hold = await tips.HoldAsync(id, CancellationToken.None);
            hold.Tip = Tip(id);
        }

        Assert.Equal(2, tips.Count);
        using (var newest = await tips.HoldAsync(ids[2], CancellationToken.None)) Assert.NotNull(newest.Tip);
        using (var dropped = await tips.HoldAsync(ids[1], CancellationToken.None)) Assert.Null(dropped.Tip);
        Assert.NotNull(inUse.Tip);
    }

    [Fact]
    public async Task A_second_step_of_an_instance_waits_for_the_first_and_one_of_another_instance_does_not()
    {
        var tips = new InstanceTips(capacity: 16);
        var id = Guid.NewGuid();
        var first = await tips.HoldAsync(id, CancellationToken.None);
        var second = tips.HoldAsync(id, CancellationToken.None);
        using (await tips.HoldAsync(Guid.NewGuid(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)))
        {
        }

        Assert.False(second.IsCompleted);
        first.Tip = Tip(id);
        first.Dispose();
        using var next = await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Same(first.Tip, next.Tip);
    }
}
