DROP TABLE claims;
DROP TABLE volunteers;
DROP TABLE tasks;
