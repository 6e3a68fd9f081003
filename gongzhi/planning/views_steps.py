"""Pages where a step's evidence is gathered (staff and partners) and where residents
take part (drafts, dot votes, consultation, objections)."""
