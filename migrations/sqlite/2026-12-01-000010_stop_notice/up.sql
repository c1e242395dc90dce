-- The organizers' word to a stop's people when it was cancelled or moved to another time:
-- the e-mails carry it, and the stop's page and every ticket show it afterwards.
ALTER TABLE stops ADD COLUMN notice TEXT;
