package io.alicloudauth;

import java.util.Arrays;

import io.alicloudauth.cli.AgentCommand;
import io.alicloudauth.cli.LoginCommand;
import io.alicloudauth.cli.OidcExportCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * {@code login ...}, {@code agent ...} and {@code oidc-export ...} run the client and exit without starting the server; anything else starts
 * the server.
 */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        if (args.length > 0 && (args[0].equals("login") || args[0].equals("agent") || args[0].equals("oidc-export"))) {
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            int code = switch (args[0]) {
                case "login" -> LoginCommand.run(rest, System.getenv(), System.out, System.err);
                case "agent" -> AgentCommand.run(rest, System.getenv(), System.out, System.err);
                default -> OidcExportCommand.run(rest, System.getenv(), System.out, System.err);
            };
            System.out.flush();
            System.exit(code);
        }
        Quarkus.run(args);
    }
}
