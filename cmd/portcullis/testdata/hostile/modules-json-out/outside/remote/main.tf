resource "aws_security_group" "leaked" { description = "SECRETREMOTECONTENT" }
