package io.ember.examples.jobs;

import java.io.PrintStream;
import java.util.Map;

/** What the jobs share: exit codes, and --help, usage errors and failures mapped to them. */
final class Job {
    /** Exit status: done. */
    static final int OK = 0;
    /** Exit status: the job failed (a message and the stack trace on stderr). */
    static final int FAILED = 1;
    /** Exit status: a mistake on the command line (one line on stderr). */
    static final int USAGE = 2;

    /** The work of a job once its options are parsed. */
    interface Body {
        void run(Map<String, String> opts) throws Exception;
    }

    private Job() {
    }

    /**
     * Prints the help (status 0) when asked, else parses {@code argv} and runs {@code body}; a usage mistake prints
     * {@code <job>: <message>} (status 2), a failure the stack trace and then {@code <job>: failed: <message>}
     * (status 1).
     */
    static int run(String job, Cli cli, String[] argv, PrintStream out, PrintStream err, Body body) {
        if (Cli.wantsHelp(argv)) {
            cli.printHelp(out);
            return OK;
        }
        try {
            body.run(cli.parse(argv));
            return OK;
        } catch (Cli.UsageException e) {
            err.println(job + ": " + e.getMessage());
            return USAGE;
        } catch (Exception | Error e) {
            e.printStackTrace(err);
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String msg = String.valueOf(e.getMessage());
            if (root != e && root.getMessage() != null && !msg.contains(root.getMessage())) {
                msg += " (cause: " + root.getMessage() + ")";
            }
            err.println(job + ": failed: " + msg.lines().findFirst().orElse(e.getClass().getName()));
            return FAILED;
        }
    }

    /** Ends the JVM with {@code status} when it is not 0; returning from main leaves a 0 to spark-submit. */
    static void exit(int status) {
        if (status != OK) {
            System.exit(status);
        }
    }
}
