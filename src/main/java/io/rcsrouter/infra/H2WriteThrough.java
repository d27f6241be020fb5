package io.rcsrouter.infra;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Set;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * The embedded H2 database with its background writer on ({@code WRITE_DELAY} above 0, which is what compacts the
 * file) and still every commit written to the file before it returns, as {@code WRITE_DELAY=0} would: after each
 * commit, and after each statement that changed something in auto-commit mode, the same connection runs
 * {@code CHECKPOINT} (H2 writes its store to the file; without an fsync, like the embedded journal: a process crash
 * keeps it, a power loss may not).
 *
 * <p>Why not {@code WRITE_DELAY=0}: H2 then starts no background writer, and without it nothing rewrites the store's
 * half-empty chunks. The file grew about four times faster than its data and every chunk ever written stayed on the
 * heap as bookkeeping (bench/RESULTS.md, section 4a). Why a {@code CHECKPOINT} and not H2's delay: a dispatch batch
 * commits the database and then the broker; a crash between the two must not keep the routing and lose the audit row
 * ({@code EmbeddedKillIT}).
 *
 * <p>Wraps a pool's {@link DataSource}: connections and statements are proxies that add the checkpoint; queries in
 * auto-commit mode write nothing and get none.
 */
public final class H2WriteThrough implements DataSource {

    private static final Set<String> UPDATES = Set.of("executeUpdate", "executeLargeUpdate", "executeBatch",
            "executeLargeBatch");

    private final DataSource pool;

    private H2WriteThrough(DataSource pool) {
        this.pool = pool;
    }

    public static DataSource wrap(DataSource pool) {
        return new H2WriteThrough(pool);
    }

    /** The pool underneath (to close it, or to read its metrics). */
    public DataSource pool() {
        return pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connection(pool.getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return connection(pool.getConnection(user, password));
    }

    /** One connection with the same checkpoints (for tools that open their own). */
    public static Connection connection(Connection real) {
        return (Connection) Proxy.newProxyInstance(H2WriteThrough.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new ConnectionHandler(real));
    }

    static void checkpoint(Connection real) throws SQLException {
        try (Statement st = real.createStatement()) {
            st.execute("CHECKPOINT");
        }
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static final class ConnectionHandler implements InvocationHandler {
        private final Connection real;

        ConnectionHandler(Connection real) {
            this.real = real;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "commit" -> {
                    real.commit();
                    checkpoint(real);
                    return null;
                }
                case "setAutoCommit" -> {
                    // turning auto-commit on commits what is pending
                    boolean was = real.getAutoCommit();
                    real.setAutoCommit((Boolean) args[0]);
                    if (!was && (Boolean) args[0]) {
                        checkpoint(real);
                    }
                    return null;
                }
                case "unwrap" -> {
                    return ((Class<?>) args[0]).isInstance(proxy) ? proxy : real.unwrap((Class<?>) args[0]);
                }
                case "isWrapperFor" -> {
                    return ((Class<?>) args[0]).isInstance(proxy) || real.isWrapperFor((Class<?>) args[0]);
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                default -> {
                    Object result = H2WriteThrough.invoke(real, method, args);
                    if (result instanceof Statement st) {
                        Class<?> type = st instanceof CallableStatement ? CallableStatement.class
                                : st instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
                        return Proxy.newProxyInstance(H2WriteThrough.class.getClassLoader(), new Class<?>[] {type},
                                new StatementHandler(st, real, proxy));
                    }
                    return result;
                }
            }
        }
    }

    private static final class StatementHandler implements InvocationHandler {
        private final Statement real;
        private final Connection connection;
        private final Object connectionProxy;

        StatementHandler(Statement real, Connection connection, Object connectionProxy) {
            this.real = real;
            this.connection = connection;
            this.connectionProxy = connectionProxy;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.equals("getConnection")) {
                return connectionProxy;
            }
            if (name.equals("unwrap")) {
                return ((Class<?>) args[0]).isInstance(proxy) ? proxy : real.unwrap((Class<?>) args[0]);
            }
            if (name.equals("equals")) {
                return proxy == args[0];
            }
            if (name.equals("hashCode")) {
                return System.identityHashCode(proxy);
            }
            Object result = H2WriteThrough.invoke(real, method, args);
            // execute() is true for a result set (a query); false for an update count
            boolean wrote = UPDATES.contains(name) || (name.equals("execute") && Boolean.FALSE.equals(result));
            if (wrote && autoCommit()) {
                checkpoint(connection);
            }
            return result;
        }

        /** A connection that can no longer say has lost its database (SHUTDOWN writes everything first). */
        private boolean autoCommit() {
            try {
                return connection.getAutoCommit();
            } catch (SQLException e) {
                return false;
            }
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || pool.isWrapperFor(iface);
    }
}
