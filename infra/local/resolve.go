package local

import (
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// Resolver evaluates the intrinsic functions the template uses (!Ref,
// !GetAtt, !Sub) against the local resources.
type Resolver struct {
	StackName string
	Region    string
	Account   string
	Params    map[string]string
	// Refs maps a logical id to what !Ref returns for it: a table's name, a
	// queue's URL.
	Refs map[string]string
	// Arns maps a logical id to its ARN (!GetAtt X.Arn).
	Arns map[string]string
}

var subVar = regexp.MustCompile(`\$\{([A-Za-z0-9:._]+)\}`)

// Resolve returns the string value of n.
func (r *Resolver) Resolve(n *yaml.Node) (string, error) {
	if n == nil {
		return "", fmt.Errorf("missing value")
	}
	switch n.Tag {
	case "!Ref":
		return r.ref(n.Value)
	case "!GetAtt":
		return r.getAtt(n.Value)
	case "!Sub":
		var err error
		out := subVar.ReplaceAllStringFunc(n.Value, func(m string) string {
			name := m[2 : len(m)-1]
			var v string
			var e error
			if strings.Contains(name, ".") && !strings.HasPrefix(name, "AWS::") {
				v, e = r.getAtt(name)
			} else {
				v, e = r.ref(name)
			}
			if e != nil && err == nil {
				err = e
			}
			return v
		})
		return out, err
	}
	if n.Kind != yaml.ScalarNode {
		return "", fmt.Errorf("line %d: unsupported value (only scalars, !Ref, !GetAtt and !Sub strings)", n.Line)
	}
	return n.Value, nil
}

func (r *Resolver) ref(name string) (string, error) {
	switch name {
	case "AWS::StackName":
		return r.StackName, nil
	case "AWS::Region":
		return r.Region, nil
	case "AWS::AccountId":
		return r.Account, nil
	case "AWS::URLSuffix":
		return "amazonaws.com", nil
	}
	if v, ok := r.Params[name]; ok {
		return v, nil
	}
	if v, ok := r.Refs[name]; ok {
		return v, nil
	}
	return "", fmt.Errorf("!Ref %s: unknown locally", name)
}

func (r *Resolver) getAtt(s string) (string, error) {
	id, attr, _ := strings.Cut(s, ".")
	if attr == "Arn" {
		if v, ok := r.Arns[id]; ok {
			return v, nil
		}
	}
	return "", fmt.Errorf("!GetAtt %s: unknown locally", s)
}
