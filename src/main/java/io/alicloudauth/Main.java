package io.alicloudauth;

import java.util.Arrays;

import io.alicloudauth.cli.AgentCommand;
import io.alicloudauth.cli.LoginCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * {@code login ...} and {@code agent ...} run the client and exit without starting the server; anything else starts
 * the server.
 */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        if (args.length > 0 && (args[0].equals("login") || args[0].equals("agent"))) {
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            int code = args[0].equals("login") ? LoginCommand.run(rest, System.getenv(), System.out, System.err)
                    : AgentCommand.run(rest, System.getenv(), System.out, System.err);
            System.out.flush();
            System.exit(code);
        }
        Quarkus.run(args);
    }
}
