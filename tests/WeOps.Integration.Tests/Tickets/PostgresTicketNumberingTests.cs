using System.Text.Json.Nodes;
using WeOps.Activities.Tickets;
using WeOps.Engine.Persistence;

namespace WeOps.Integration.Tests.Tickets;

/// <summary>Ticket numbers and idempotent creates under concurrency on PostgreSQL, where no in-process
/// gate serialises the writers: only the counter row's lock and the unique index do.</summary>
public sealed class PostgresTicketNumberingTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private TicketStore store = null!;

    public async Task InitializeAsync()
    {
        var options = new DatabaseOptions(DatabaseProvider.Postgres, database.ConnectionString);
        await options.MigrateAsync();
        store = new TicketStore(options, new TicketPolicy(), TimeProvider.System);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static NewTicket Draft(string type) =>
        TicketInput.ReadNew(type, "Concurrent ticket", null, JsonValue.Create(1), JsonValue.Create(2), null, null, null, null, null);

    [Fact]
    public async Task Fifty_concurrent_creates_get_fifty_numbers_without_gaps_or_duplicates()
    {
        var created = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => store.CreateAsync(Draft("change"), null, null, null, default))));

        Assert.Equal(Enumerable.Range(1, 50).Select(n => $"CHG-{n:D6}"), created.Select(c => c.Ticket.Ticket.Number).Order());
        Assert.All(created, c => Assert.Equal("P2", c.Ticket.Ticket.Priority));
    }

    [Fact]
    public async Task Concurrent_reruns_of_one_step_make_one_ticket()
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => store.CreateAsync(Draft("release"), null, "i-pg", "open", default))));

        Assert.Single(runs.Select(r => r.Ticket.Ticket.Number).Distinct());
        Assert.Single(runs, r => r.Created);
        Assert.Equal(1, (await store.ListAsync(new TicketQuery(Type: "release"), default)).Total);
    }

    [Fact]
    public async Task Concurrent_moves_of_one_ticket_apply_each_once_in_some_order()
    {
        var (ticket, _) = await store.CreateAsync(Draft("problem"), null, null, null, default);
        var number = ticket.Ticket.Number;
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => store.CommentAsync(number, $"note {i}", null, default))));
        var moves = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(async () =>
        {
            try
            {
                await store.TransitionAsync(number, "investigation", null, null, default);
                return true;
            }
            catch (TicketTransitionRefusedException)
            {
                return false;
            }
        })));

        var detail = (await store.GetAsync(number, default))!;
        Assert.Equal(10, detail.Comments.Count);
        Assert.Single(moves, m => m);
        Assert.Equal("investigation", detail.Ticket.State);
        Assert.Single(detail.Timeline, e => e.Kind == "transition");
    }
}
