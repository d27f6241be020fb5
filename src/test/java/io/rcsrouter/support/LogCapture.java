package io.rcsrouter.support;

import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/** Every log event of the JVM while it is open (an appender on the root logger); closing detaches it. */
public final class LogCapture implements AutoCloseable {

    private final Logger root;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture() {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        appender.setContext(logging);
        appender.start();
        root.addAppender(appender);
    }

    public static LogCapture onRoot() {
        return new LogCapture();
    }

    /** The events captured so far (also readable after closing). */
    public List<ILoggingEvent> events() {
        return appender.list;
    }

    @Override
    public void close() {
        root.detachAppender(appender);
    }
}
