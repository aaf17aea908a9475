package io.alicloudauth.testing;

import static io.restassured.RestAssured.given;

/**
 * Reads {@code /q/metrics} (Prometheus text) of the service under test, on its management interface
 * ({@code %test.quarkus.management.test-port}).
 */
public final class Metrics {

    public static final int MANAGEMENT_TEST_PORT = Integer.getInteger("quarkus.management.test-port", 9101);

    private Metrics() {
    }

    public static String scrape() {
        return given().port(MANAGEMENT_TEST_PORT).get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of the sample {@code name} whose labels include every one of {@code labels}; 0 when absent. */
    public static double value(String text, String name, String... labels) {
        for (String line : text.lines().toList()) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= line.contains(label);
            }
            if (all) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
