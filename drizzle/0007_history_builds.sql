-- The Sets builds in the journal: the set_builds and set_build_takes rows an operation touched,
-- before and after (see history_build_rows in schema.ts), so mark built and take apart undo exactly.
CREATE TABLE `history_build_rows` (
	`op_id` integer NOT NULL,
	`tbl` text NOT NULL,
	`row_id` integer NOT NULL,
	`before` text,
	`after` text,
	PRIMARY KEY(`op_id`, `tbl`, `row_id`),
	CONSTRAINT "history_build_rows_tbl" CHECK("history_build_rows"."tbl" IN ('set_builds', 'set_build_takes'))
);
--> statement-breakpoint
CREATE INDEX `history_build_rows_row_idx` ON `history_build_rows` (`tbl`,`row_id`,`op_id`);