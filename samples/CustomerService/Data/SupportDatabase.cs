using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CustomerService.Data;

/// <summary>
/// The shop's SQLite database: customers, orders, refund requests and support tickets. Created and seeded on first use
/// in the data folder; every method opens its own connection, so the tools may run concurrently.
/// </summary>
internal sealed class SupportDatabase
{
    private readonly string _connectionString;

    private SupportDatabase(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
    }

    /// <summary>Gets the database file.</summary>
    public string Path { get; }

    /// <summary>Opens the database in <paramref name="dataDirectory"/>, creating and seeding it when it does not exist.</summary>
    public static SupportDatabase Open(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var database = new SupportDatabase(System.IO.Path.Combine(dataDirectory, "support.db"));
        database.CreateAndSeed();
        return database;
    }

    public Customer? FindCustomer(int customerId)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, tier, since FROM customers WHERE id = $id";
        command.Parameters.AddWithValue("$id", customerId);
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new Customer(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), DateOnly.Parse(reader.GetString(3), CultureInfo.InvariantCulture))
            : null;
    }

    public IReadOnlyList<Order> GetOrders(int customerId)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT number, customer_id, item, total_cents, status, placed FROM orders WHERE customer_id = $id ORDER BY number";
        command.Parameters.AddWithValue("$id", customerId);
        return ReadOrders(command);
    }

    public Order? FindOrder(int orderNumber)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT number, customer_id, item, total_cents, status, placed FROM orders WHERE number = $number";
        command.Parameters.AddWithValue("$number", orderNumber);
        return ReadOrders(command).SingleOrDefault();
    }

    /// <summary>Records a refund request and returns its id.</summary>
    public long InsertRefundRequest(int orderNumber, string reason, string status)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO refund_requests (order_number, reason, status, created) VALUES ($order, $reason, $status, $created);
            SELECT last_insert_rowid();
            """;
        command.Parameters.AddWithValue("$order", orderNumber);
        command.Parameters.AddWithValue("$reason", reason);
        command.Parameters.AddWithValue("$status", status);
        command.Parameters.AddWithValue("$created", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        return (long)command.ExecuteScalar()!;
    }

    public IReadOnlyList<RefundRequest> GetRefundRequests()
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, order_number, reason, status FROM refund_requests ORDER BY id";
        using var reader = command.ExecuteReader();
        var requests = new List<RefundRequest>();
        while (reader.Read())
        {
            requests.Add(new RefundRequest(reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3)));
        }

        return requests;
    }

    /// <summary>Opens a support ticket and returns its id.</summary>
    public long InsertTicket(int? customerId, string subject, bool escalated)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO tickets (customer_id, subject, escalated, created) VALUES ($customer, $subject, $escalated, $created);
            SELECT last_insert_rowid();
            """;
        command.Parameters.AddWithValue("$customer", customerId is null ? DBNull.Value : customerId.Value);
        command.Parameters.AddWithValue("$subject", subject);
        command.Parameters.AddWithValue("$escalated", escalated ? 1 : 0);
        command.Parameters.AddWithValue("$created", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        return (long)command.ExecuteScalar()!;
    }

    public IReadOnlyList<Ticket> GetTickets()
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, customer_id, subject, escalated FROM tickets ORDER BY id";
        using var reader = command.ExecuteReader();
        var tickets = new List<Ticket>();
        while (reader.Read())
        {
            tickets.Add(new Ticket(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt32(1), reader.GetString(2), reader.GetInt32(3) == 1));
        }

        return tickets;
    }

    private static List<Order> ReadOrders(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var orders = new List<Order>();
        while (reader.Read())
        {
            orders.Add(new Order(
                reader.GetInt32(0),
                reader.GetInt32(1),
                reader.GetString(2),
                reader.GetInt64(3),
                reader.GetString(4),
                DateOnly.Parse(reader.GetString(5), CultureInfo.InvariantCulture)));
        }

        return orders;
    }

    private SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private void CreateAndSeed()
    {
        using var connection = OpenConnection();
        using var transaction = connection.BeginTransaction();
        using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText = """
                CREATE TABLE IF NOT EXISTS customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, tier TEXT NOT NULL, since TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS orders (number INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),
                    item TEXT NOT NULL, total_cents INTEGER NOT NULL, status TEXT NOT NULL, placed TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS refund_requests (id INTEGER PRIMARY KEY AUTOINCREMENT, order_number INTEGER NOT NULL,
                    reason TEXT NOT NULL, status TEXT NOT NULL, created TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS tickets (id INTEGER PRIMARY KEY AUTOINCREMENT, customer_id INTEGER,
                    subject TEXT NOT NULL, escalated INTEGER NOT NULL, created TEXT NOT NULL);
                """;
            create.ExecuteNonQuery();
        }

        using (var seed = connection.CreateCommand())
        {
            seed.Transaction = transaction;
            seed.CommandText = """
                INSERT OR IGNORE INTO customers (id, name, tier, since) VALUES
                    (1, 'Ada Lovelace', 'gold', '2021-03-14'),
                    (2, 'Alan Turing', 'standard', '2023-06-23'),
                    (3, 'Grace Hopper', 'silver', '2022-12-09');
                INSERT OR IGNORE INTO orders (number, customer_id, item, total_cents, status, placed) VALUES
                    (1001, 1, 'Mechanical keyboard', 12900, 'delivered', '2026-10-02'),
                    (1002, 1, 'USB-C dock', 8900, 'shipped', '2026-11-20'),
                    (1003, 2, 'Noise-cancelling headphones', 24900, 'processing', '2026-11-28'),
                    (1004, 3, 'Ergonomic mouse', 5900, 'delivered', '2026-09-15'),
                    (1005, 3, '27-inch monitor', 32900, 'cancelled', '2026-11-01');
                """;
            seed.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
