"""The live broker: recorded transactions are NOTIFY'd at commit; each process LISTENs once
and fans out to its subscribers (DESIGN §6). Built with live supervision."""
