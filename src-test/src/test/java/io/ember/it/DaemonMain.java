package io.ember.it;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;

/**
 * Runs a Spark daemon's main class ({@code args[0]}, its arguments after it) and ends the JVM when its standard
 * input reaches end of file, that is when the process that started it (the test JVM, which holds the other end of
 * the pipe) is gone, even if it was killed with SIGKILL and could run no cleanup. {@code System.exit} runs the
 * daemon's shutdown hooks, and a Worker's hooks kill the executors it launched; a halt follows if exiting hangs.
 */
public final class DaemonMain {
    private DaemonMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("DaemonMain: expected a main class and its arguments, got nothing");
        }
        Thread watch = new Thread(DaemonMain::exitOnEof, "parent-watch");
        watch.setDaemon(true);
        watch.start();
        String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) rest);
    }

    private static void exitOnEof() {
        InputStream in = System.in;
        byte[] buf = new byte[256];
        try {
            while (in.read(buf) >= 0) {
                // the parent writes nothing; keep reading until it goes away
            }
        } catch (IOException e) {
            // a broken pipe means the same: the parent is gone
        }
        System.err.println("DaemonMain: standard input closed (the test JVM is gone); exiting");
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(3);
        }, "halt-fallback");
        halt.setDaemon(true);
        halt.start();
        System.exit(2);
    }
}
