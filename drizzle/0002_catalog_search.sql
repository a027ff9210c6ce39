-- Catalogue name search for the add dialog: an FTS5 word index over part names. It holds its
-- own copy of part_num and name (parts has a text key, whose rowids VACUUM may renumber), and
-- is rebuilt from parts after every catalogue import, the only writer of parts.
CREATE VIRTUAL TABLE `parts_fts` USING fts5(
  part_num UNINDEXED, name,
  tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
INSERT INTO parts_fts (part_num, name) SELECT part_num, name FROM parts;
