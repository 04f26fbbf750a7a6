CREATE TABLE "usage_samples" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"cpu_percent" double precision NOT NULL,
	"memory_bytes" bigint NOT NULL,
	"memory_limit_bytes" bigint NOT NULL,
	"pids" integer NOT NULL,
	"net_rx_bytes" bigint NOT NULL,
	"net_tx_bytes" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "usage_samples" ADD CONSTRAINT "usage_samples_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "usage_samples_session_at_idx" ON "usage_samples" USING btree ("session_id","at");--> statement-breakpoint
CREATE INDEX "usage_samples_at_idx" ON "usage_samples" USING btree ("at");